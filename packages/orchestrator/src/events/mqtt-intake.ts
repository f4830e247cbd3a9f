import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import Value from 'typebox/value';
import { fromDatabaseError } from '../db/errors.js';
import { AppError } from '../errors.js';
import type { EventIntake } from './event-intake.js';
import { EventInputSchema, type EventInput } from './event-schemas.js';

export interface MqttIntakeOptions {
  url: string;
  /** Topic prefix; events arrive on `<prefix>/<source>/<type>`. */
  prefix: string;
  /** Stable across restarts: with a persistent session the broker keeps what arrives while we are down. */
  clientId: string;
  intake: EventIntake;
  logger: Logger;
}

/**
 * Event intake over MQTT. Topic `<prefix>/<source>/<type>` (e.g. `esim/v1/events/iot-platform/device.connectivity_lost`),
 * QoS 1, payload a JSON object `{ eventId, deviceId | eid | externalId, occurredAt?, payload? }`.
 * The PUBACK is sent only once the event is stored (or refused as bad input), and the session is
 * persistent (clean: false), so an event is never lost between broker and database: at worst it is
 * delivered again, and (source, eventId) makes the second delivery a no-op.
 */
export class MqttEventIntake {
  private client: MqttClient | undefined;
  private closing = false;

  constructor(private readonly o: MqttIntakeOptions) {}

  /**
   * Connects and subscribes on every (re)connection. Resolves once subscribed, or after
   * `waitMs` with a warning: a broker that is down does not stop the product, the client keeps
   * trying and readiness reports the broker.
   */
  async start(waitMs = 10_000): Promise<void> {
    const options: IClientOptions = {
      clientId: this.o.clientId,
      clean: false,
      reconnectPeriod: 1000,
      connectTimeout: 5000,
    };
    const client = mqtt.connect(this.o.url, options);
    client.on('error', (err) => this.o.logger.warn({ err }, 'event intake: MQTT error'));
    client.handleMessage = (packet, done) => {
      void this.handle(packet.topic, packet.payload as Buffer).then(
        () => done(),
        // Closing: no PUBACK, so the broker delivers it again to the next session.
        () => undefined,
      );
    };
    this.client = client;
    const subscribed = new Promise<void>((resolve) => {
      client.on('connect', () => {
        client.subscribeAsync(`${this.o.prefix}/+/+`, { qos: 1 }).then(
          () => resolve(),
          (err: unknown) => this.o.logger.error({ err }, 'event intake: cannot subscribe'),
        );
      });
    });
    let timer: NodeJS.Timeout | undefined;
    const waited = await Promise.race([
      subscribed.then(() => true),
      new Promise<false>((r) => (timer = setTimeout(() => r(false), waitMs))),
    ]);
    clearTimeout(timer);
    if (!waited)
      this.o.logger.warn({ url: this.o.url }, 'event intake: broker not reachable yet; still trying');
  }

  /** Parses the message; bad input is logged and acknowledged (a redelivery would not fix it). */
  private async handle(topic: string, payload: Buffer): Promise<void> {
    const [source, type] = topic.slice(this.o.prefix.length + 1).split('/');
    let input: EventInput;
    try {
      input = { ...JSON.parse(payload.toString('utf8')), source, type };
    } catch (e) {
      this.o.logger.warn({ topic, err: e }, 'event intake: payload is not JSON; dropped');
      return;
    }
    if (!Value.Check(EventInputSchema, input)) {
      const errors = [...Value.Errors(EventInputSchema, input)].map((e) => `${e.instancePath} ${e.message}`);
      this.o.logger.warn({ topic, errors }, 'event intake: invalid event; dropped');
      return;
    }
    await this.ingest(input, topic);
  }

  /** Retries while the database cannot take it (down, failing over); stops only when closing. */
  private async ingest(input: EventInput, topic: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.o.intake.ingest(input, `mqtt:${input.source}`);
        return;
      } catch (e) {
        // Refused input, or an integrity error the database will raise again: retrying cannot help.
        const refused = e instanceof AppError ? e : fromDatabaseError(e);
        if (refused) {
          this.o.logger.warn({ topic, err: refused.toJSON() }, 'event intake: event refused; dropped');
          return;
        }
        if (this.closing) throw e;
        this.o.logger.error({ topic, err: e }, 'event intake: cannot store the event; retrying');
        await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** attempt)));
      }
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.client?.endAsync();
  }
}

import type { IClientPublishOptions, IPublishPacket, MqttClient } from 'mqtt';
import { EsipaRequestError, type EsipaHandler } from '../esipa/esipa-handler.js';
import { isValidEid } from '../identifiers.js';

/** Default topic prefix: an IPA publishes on `esipa/v1/<EID>/up`. */
export const ESIPA_MQTT_PREFIX = 'esipa/v1';
export const ESIPA_MQTT_CONTENT_TYPE = 'application/x-gsma-rsp-asn1';
/** MQTT v5 user property of an answer that is an error (its payload a UTF-8 diagnostic). */
export const ESIPA_MQTT_ERROR_PROPERTY = 'esipa-error';

export interface EsipaMqttOptions {
  handler: EsipaHandler;
  /**
   * A connection to the broker, connected or connecting. MQTT v5 answers on the request's response
   * topic with its correlation data; requests without a response topic (MQTT 3.1.1) are answered
   * on `<prefix>/<EID>/down` (errors on `<prefix>/<EID>/error`).
   */
  client: MqttClient;
  prefix?: string;
  /**
   * Shared subscription group (`$share/<group>/...`): N eIM instances split the requests. Unset:
   * a plain subscription, for brokers without shared subscriptions (the embedded aedes).
   */
  shareGroup?: string;
  /** Largest request accepted. */
  bodyLimit?: number;
  /** Failures the IPA sees only as an `internal` error, and answers that could not be sent. */
  onError?: (err: unknown) => void;
}

type Answer = { body: Uint8Array | null } | { error: string; message: string };

/**
 * ESipa over MQTT, our binding (docs/INTERPRETATION.md, "ESipa over MQTT"): the IPA publishes a DER
 * EsipaMessageFromIpaToEim on `<prefix>/<EID>/up` (QoS 1); the eIM answers with the DER
 * EsipaMessageFromEimToIpa (empty for the functions without one). The topic names the device: a
 * message naming another EID is refused, and answers go only to topics under `<prefix>/<EID>/`.
 * A thin endpoint over one EsipaHandler, as the HTTP and CoAP ones.
 */
export class EsipaMqttEndpoint {
  readonly prefix: string;
  private readonly subscription: string;
  private readonly bodyLimit: number;
  private readonly onConnect = () => {
    this.o.client.subscribe(this.subscription, { qos: 1 }, (err) => {
      if (err) this.o.onError?.(err);
    });
  };
  private readonly onMessage = (topic: string, payload: Buffer, packet: IPublishPacket) => {
    void this.serve(topic, payload, packet).catch((err: unknown) => this.o.onError?.(err));
  };

  constructor(private readonly o: EsipaMqttOptions) {
    this.prefix = o.prefix ?? ESIPA_MQTT_PREFIX;
    const topic = `${this.prefix}/+/up`;
    this.subscription = o.shareGroup ? `$share/${o.shareGroup}/${topic}` : topic;
    this.bodyLimit = o.bodyLimit ?? 64 * 1024;
  }

  /** Subscribes now and on every reconnection; resolves once the first subscription is granted. */
  async start(): Promise<void> {
    const { client } = this.o;
    client.on('message', this.onMessage);
    if (!client.connected) await new Promise<void>((resolve) => client.once('connect', () => resolve()));
    const granted = await client.subscribeAsync(this.subscription, { qos: 1 });
    if (granted.some((g) => g.qos > 2))
      throw new Error(`the broker refused the subscription ${this.subscription}`);
    // A clean session forgets its subscriptions: subscribe again after each reconnection.
    client.on('connect', this.onConnect);
  }

  /** "Poll now" for a device that has something waiting: an empty QoS 1 message on `<prefix>/<EID>/wake`. */
  async wake(eid: string): Promise<void> {
    await this.o.client.publishAsync(`${this.prefix}/${eid}/wake`, Buffer.alloc(0), { qos: 1 });
  }

  async close(): Promise<void> {
    const { client } = this.o;
    client.off('message', this.onMessage);
    client.off('connect', this.onConnect);
    if (client.connected) await client.unsubscribeAsync(this.subscription);
  }

  private async serve(topic: string, payload: Buffer, packet: IPublishPacket): Promise<void> {
    if (!topic.startsWith(`${this.prefix}/`)) return;
    const [eid, leaf, ...rest] = topic.slice(this.prefix.length + 1).split('/');
    if (leaf !== 'up' || rest.length || !eid) return;
    const responseTopic = packet.properties?.responseTopic;
    if (responseTopic !== undefined && !responseTopic.startsWith(`${this.prefix}/${eid}/`)) {
      this.o.onError?.(
        new EsipaRequestError(
          `response topic ${responseTopic} is not under ${this.prefix}/${eid}/`,
          'eidMismatch',
        ),
      );
      return;
    }
    await this.answer(eid, packet, await this.run(eid, payload));
  }

  private async run(eid: string, payload: Buffer): Promise<Answer> {
    if (!isValidEid(eid)) return { error: 'malformed', message: `topic names no valid EID: ${eid}` };
    if (payload.length > this.bodyLimit)
      return { error: 'tooLarge', message: `request larger than ${this.bodyLimit} bytes` };
    try {
      return { body: (await this.o.handler.handle(new Uint8Array(payload), { eid })).body };
    } catch (e) {
      if (e instanceof EsipaRequestError) return { error: e.reason, message: e.message };
      this.o.onError?.(e);
      return { error: 'internal', message: 'internal error' };
    }
  }

  private async answer(eid: string, request: IPublishPacket, a: Answer): Promise<void> {
    const responseTopic = request.properties?.responseTopic;
    const error = 'error' in a;
    const payload = error ? Buffer.from(a.message, 'utf8') : Buffer.from(a.body ?? new Uint8Array(0));
    if (responseTopic === undefined) {
      const topic = `${this.prefix}/${eid}/${error ? 'error' : 'down'}`;
      await this.o.client.publishAsync(topic, error ? Buffer.from(`${a.error}: ${a.message}`) : payload, {
        qos: 1,
      });
      return;
    }
    const options: IClientPublishOptions = {
      qos: 1,
      properties: {
        ...(request.properties?.correlationData
          ? { correlationData: request.properties.correlationData }
          : {}),
        ...(error
          ? {
              contentType: 'text/plain; charset=utf-8',
              userProperties: { [ESIPA_MQTT_ERROR_PROPERTY]: a.error },
            }
          : a.body
            ? { contentType: ESIPA_MQTT_CONTENT_TYPE }
            : {}),
      },
    };
    await this.o.client.publishAsync(responseTopic, payload, options);
  }
}

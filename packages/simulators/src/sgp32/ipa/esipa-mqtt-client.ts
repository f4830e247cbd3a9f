/**
 * ESipa over MQTT, the orchestrator's binding (docs/INTERPRETATION.md, "ESipa over MQTT"): each
 * device publishes DER on `<prefix>/<EID>/up`. MQTT v5: answers come on the device's
 * `<prefix>/<EID>/answer` with the request's correlation data; 3.1.1: on `<prefix>/<EID>/down`, or
 * `<prefix>/<EID>/error`, one request in flight per device. The whole fleet shares one connection;
 * `--eim mqtt://broker:1883/esipa/v1` names the broker and, as its path, the topic prefix.
 */
import { randomBytes } from 'node:crypto';
import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt';
import { encode, EsipaMessageFromIpaToEim, type EsipaMessageFromEimToIpa } from '@esim/asn1';
import { eimAnswer, type EsipaClient } from './esipa-client.js';
import { EsipaProtocolError, MAX_ANSWER_BYTES } from './http-transport.js';

export const ESIPA_MQTT_DEFAULT_PREFIX = 'esipa/v1';
const ERROR_PROPERTY = 'esipa-error';

export interface MqttEsipaClientOptions {
  timeoutMs?: number;
  maxAnswerBytes?: number;
  /** 5 (default): response topic and correlation data; 4 (3.1.1): the fallback topics. */
  protocolVersion?: 4 | 5;
}

interface Pending {
  resolve(a: EsipaMessageFromEimToIpa | undefined): void;
  reject(e: Error): void;
}

export class MqttEsipaClient implements EsipaClient {
  readonly prefix: string;
  private readonly client: MqttClient;
  private readonly subscribed: Promise<unknown>;
  private readonly v5: boolean;
  private readonly timeoutMs: number;
  private readonly maxAnswerBytes: number;
  /** By correlation data (hex) in v5, by EID in 3.1.1. */
  private readonly pending = new Map<string, Pending>();
  private readonly wakeListeners: ((eid: string) => void)[] = [];

  constructor(eimUrl: string, options: MqttEsipaClientOptions = {}) {
    const url = new URL(eimUrl);
    if (!/^(mqtts?|wss?|tcp):$/.test(url.protocol))
      throw new TypeError(`eIM URL must be mqtt(s)://, got ${url.protocol}`);
    this.prefix = decodeURIComponent(url.pathname.replace(/^\/+|\/+$/g, '')) || ESIPA_MQTT_DEFAULT_PREFIX;
    this.v5 = (options.protocolVersion ?? 5) === 5;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxAnswerBytes = options.maxAnswerBytes ?? MAX_ANSWER_BYTES;
    const broker = new URL(url);
    if (!url.protocol.startsWith('ws')) broker.pathname = '';
    this.client = mqtt.connect(broker.toString(), {
      clientId: `esim-ipa-${randomBytes(6).toString('hex')}`,
      protocolVersion: this.v5 ? 5 : 4,
      reconnectPeriod: 1000,
      connectTimeout: 5000,
    });
    // Errors reach the IPA as timeouts of its exchanges; the client keeps reconnecting.
    this.client.on('error', () => undefined);
    this.client.on('message', (topic, payload, packet) => this.onMessage(topic, payload, packet));
    const topics = (this.v5 ? ['answer', 'wake'] : ['down', 'error', 'wake']).map(
      (t) => `${this.prefix}/+/${t}`,
    );
    const subscribe = () => this.client.subscribeAsync(topics, { qos: 1 });
    this.subscribed = new Promise((resolve) => this.client.once('connect', () => resolve(subscribe())));
    // A clean session forgets its subscriptions.
    void this.subscribed.then(() => this.client.on('connect', () => void subscribe().catch(() => undefined)));
  }

  onWake(listener: (eid: string) => void): void {
    this.wakeListeners.push(listener);
  }

  close(): void {
    for (const p of this.pending.values()) p.reject(new EsipaProtocolError('MQTT client closed'));
    this.pending.clear();
    this.client.end(true);
  }

  async exchange(
    message: EsipaMessageFromIpaToEim,
    eid: string,
  ): Promise<EsipaMessageFromEimToIpa | undefined> {
    const body = Buffer.from(encode(EsipaMessageFromIpaToEim, message));
    const correlation = randomBytes(8);
    const key = this.v5 ? correlation.toString('hex') : eid;
    if (this.pending.has(key)) throw new EsipaProtocolError(`an exchange of ${eid} is already in flight`);
    let timer: NodeJS.Timeout | undefined;
    const answer = new Promise<EsipaMessageFromEimToIpa | undefined>((resolve, reject) => {
      this.pending.set(key, { resolve, reject });
      timer = setTimeout(() => {
        this.pending.delete(key);
        reject(new EsipaProtocolError(`no answer from the eIM within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
    });
    try {
      await Promise.race([this.subscribed, answer]);
      await this.client.publishAsync(`${this.prefix}/${eid}/up`, body, {
        qos: 1,
        ...(this.v5
          ? { properties: { responseTopic: `${this.prefix}/${eid}/answer`, correlationData: correlation } }
          : {}),
      });
      return await answer;
    } finally {
      clearTimeout(timer);
      this.pending.delete(key);
    }
  }

  private onMessage(topic: string, payload: Buffer, packet: IPublishPacket): void {
    if (!topic.startsWith(`${this.prefix}/`)) return;
    const [eid, leaf] = topic.slice(this.prefix.length + 1).split('/');
    if (!eid) return;
    if (leaf === 'wake') {
      for (const l of this.wakeListeners) l(eid);
      return;
    }
    const key = this.v5 ? packet.properties?.correlationData?.toString('hex') : eid;
    const pending = key === undefined ? undefined : this.pending.get(key);
    if (!pending) return;
    const error = this.v5
      ? packet.properties?.userProperties?.[ERROR_PROPERTY]
      : leaf === 'error'
        ? ''
        : undefined;
    if (error !== undefined)
      return pending.reject(
        new EsipaProtocolError(
          `eIM refused the message: ${error ? `${String(error)}: ` : ''}${payload.toString('utf8', 0, 200)}`,
        ),
      );
    if (payload.length > this.maxAnswerBytes)
      return pending.reject(new EsipaProtocolError(`eIM answer larger than ${this.maxAnswerBytes} bytes`));
    try {
      pending.resolve(payload.length === 0 ? undefined : eimAnswer(new Uint8Array(payload)));
    } catch (e) {
      pending.reject(e as Error);
    }
  }
}

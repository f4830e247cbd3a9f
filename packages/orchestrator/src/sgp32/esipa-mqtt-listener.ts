import { randomBytes } from 'node:crypto';
import { EsipaMqttEndpoint, type EsipaHandler } from '@esim/eim';
import mqtt from 'mqtt';
import type { Logger } from 'pino';
import type { Broker } from '../broker/broker.js';

/** How long start-up waits for the broker before it goes on (the client keeps trying). */
const CONNECT_WAIT_MS = 10_000;

/**
 * ESipa over MQTT on the product's broker, on a connection of its own: MQTT v5 with a shared
 * subscription on an external broker (N instances split the devices' requests); MQTT 3.1.1 with a
 * plain subscription on the embedded one, which has neither (docs/INTERPRETATION.md).
 */
export async function startEsipaMqtt(
  handler: EsipaHandler,
  o: { broker: Broker; prefix: string; logger: Logger },
): Promise<{ url: string; endpoint: EsipaMqttEndpoint; close(): Promise<void> }> {
  const client = mqtt.connect(o.broker.url, {
    clientId: `esim-esipa-${randomBytes(6).toString('hex')}`,
    protocolVersion: o.broker.embedded ? 4 : 5,
    reconnectPeriod: 1000,
    connectTimeout: 5000,
  });
  client.on('error', (err) => o.logger.warn({ err }, 'ESipa over MQTT: MQTT error'));
  const endpoint = new EsipaMqttEndpoint({
    handler,
    client,
    prefix: o.prefix,
    ...(o.broker.embedded ? {} : { shareGroup: 'eim' }),
    onError: (err) => o.logger.error({ err }, 'ESipa over MQTT: request failed'),
  });
  const started = endpoint.start().then(
    () => true,
    (err: unknown) => {
      o.logger.error({ err }, 'ESipa over MQTT: cannot subscribe');
      return true;
    },
  );
  let timer: NodeJS.Timeout | undefined;
  const waited = await Promise.race([
    started,
    new Promise<false>((r) => (timer = setTimeout(() => r(false), CONNECT_WAIT_MS))),
  ]);
  clearTimeout(timer);
  if (!waited)
    o.logger.warn({ url: o.broker.url }, 'ESipa over MQTT: broker not reachable yet; still trying');
  return {
    url: `${o.broker.url}/${o.prefix}`,
    endpoint,
    async close() {
      await endpoint.close();
      await client.endAsync();
    },
  };
}

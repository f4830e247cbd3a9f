import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Aedes } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';

/** The MQTT broker the product publishes to and listens on, and our connection to it. */
export interface Broker {
  readonly url: string;
  readonly embedded: boolean;
  readonly client: MqttClient;
  /** Resolves when the connection to the broker is up, rejects after `timeoutMs`. */
  ready(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export type BrokerTarget = { url: string } | { embedded: { host: string; port: number } };

async function startEmbedded(host: string, port: number): Promise<{ url: string; stop(): Promise<void> }> {
  const aedes = await Aedes.createBroker();
  const server: Server = createServer(aedes.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `mqtt://${host}:${bound}`,
    stop: () =>
      new Promise<void>((resolve) => {
        aedes.close(() => server.close(() => resolve()));
      }),
  };
}

/**
 * Connects to MQTT_URL, or starts the embedded in-process broker (aedes) and connects to it.
 * The client reconnects by itself; readiness reports whether it is connected now.
 */
export async function openBroker(
  target: BrokerTarget,
  clientId = `esim-orchestrator-${process.pid}`,
): Promise<Broker> {
  const embedded =
    'embedded' in target ? await startEmbedded(target.embedded.host, target.embedded.port) : undefined;
  const url = embedded?.url ?? (target as { url: string }).url;
  const client = mqtt.connect(url, { clientId, reconnectPeriod: 1000, connectTimeout: 5000 });
  // Errors surface through ready(); without a listener the client would throw them at the process.
  client.on('error', () => undefined);
  return {
    url,
    embedded: embedded !== undefined,
    client,
    ready(timeoutMs = 2000) {
      if (client.connected) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          client.off('connect', onConnect);
          reject(new Error(`MQTT broker ${url} not reachable`));
        }, timeoutMs);
        const onConnect = () => {
          clearTimeout(timer);
          resolve();
        };
        client.once('connect', onConnect);
      });
    },
    async close() {
      await client.endAsync(true);
      await embedded?.stop();
    },
  };
}

/**
 * The EimPeer over CoAP and over MQTT, as the orchestrator's endpoints speak them
 * (docs/INTERPRETATION.md, "ESipa over CoAP", "ESipa over MQTT"): the same recorded messages and
 * answers as over HTTP. `refuse` names the error reason a message is refused with instead.
 */
import type { AddressInfo } from 'node:net';
import { createServer } from 'coap';
import mqtt, { type MqttClient } from 'mqtt';
import { decode, encode, EsipaMessageFromEimToIpa, EsipaMessageFromIpaToEim } from '@esim/asn1';
import type { EimPeer } from './eim-peer.js';

export interface Front {
  url: string;
  close(): Promise<void>;
}

type Refuse = (message: EsipaMessageFromIpaToEim) => string | undefined;

/** What the peer answers to DER bytes: the DER answer (empty when none), or an error reason. */
function answer(peer: EimPeer, der: Buffer, refuse?: Refuse): { der: Buffer } | { error: string } {
  let message: EsipaMessageFromIpaToEim;
  try {
    message = decode(EsipaMessageFromIpaToEim, new Uint8Array(der));
  } catch {
    return { error: 'malformed' };
  }
  const error = refuse?.(message);
  if (error) return { error };
  const a = peer.take(message);
  return { der: a ? Buffer.from(encode(EsipaMessageFromEimToIpa, a)) : Buffer.alloc(0) };
}

export async function coapFront(peer: EimPeer, refuse?: Refuse): Promise<Front> {
  const server = createServer({ type: 'udp4' }, (req, res) => {
    const a = answer(peer, req.payload, refuse);
    if ('error' in a) {
      res.code = '4.00';
      return res.end(`${a.error}: refused by the test peer`);
    }
    res.code = '2.04';
    if (a.der.length) res.setOption('Content-Format', 'application/octet-stream');
    res.end(a.der);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = (server._sock as { address(): AddressInfo }).address();
  return {
    url: `coap://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Subscribes to `<prefix>/+/up` on `brokerUrl`; `client` also publishes wake-ups. */
export async function mqttFront(
  peer: EimPeer,
  brokerUrl: string,
  prefix: string,
  refuse?: Refuse,
): Promise<Front & { client: MqttClient }> {
  const client = await mqtt.connectAsync(brokerUrl, { protocolVersion: 5, reconnectPeriod: 0 });
  client.on('message', (topic, payload, packet) => {
    const eid = topic.slice(prefix.length + 1).split('/')[0]!;
    const a = answer(peer, payload, refuse);
    const responseTopic = packet.properties?.responseTopic;
    const body = 'error' in a ? Buffer.from(`${a.error}: refused by the test peer`) : a.der;
    if (responseTopic === undefined) {
      void client.publishAsync(`${prefix}/${eid}/${'error' in a ? 'error' : 'down'}`, body, { qos: 1 });
      return;
    }
    void client.publishAsync(responseTopic, 'error' in a ? Buffer.from('refused by the test peer') : body, {
      qos: 1,
      properties: {
        correlationData: packet.properties!.correlationData!,
        ...('error' in a ? { userProperties: { 'esipa-error': a.error } } : {}),
      },
    });
  });
  await client.subscribeAsync(`${prefix}/+/up`, { qos: 1 });
  return { url: `${brokerUrl}/${prefix}`, client, close: () => client.endAsync() };
}

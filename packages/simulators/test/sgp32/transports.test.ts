/** The IPA over ESipa CoAP and MQTT against the DER-level eIM peer double, on 127.0.0.1 and the real broker. */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EuiccPackage } from '@esim/asn1';
import { CoapEsipaClient } from '../../src/sgp32/ipa/esipa-coap-client.js';
import type { EsipaClient } from '../../src/sgp32/ipa/esipa-client.js';
import { MqttEsipaClient } from '../../src/sgp32/ipa/esipa-mqtt-client.js';
import { EsipaProtocolError } from '../../src/sgp32/ipa/http-transport.js';
import { Ipa } from '../../src/sgp32/ipa/ipa.js';
import { iccidToBytes } from '../../src/sgp32/pki/iccid.js';
import { credentials, onboardedCard, P1, P3 } from './support/card.js';
import { EimPeer } from './support/eim-peer.js';
import { coapFront, mqttFront, type Front } from './support/peer-fronts.js';
import { signPackage, testEim } from './support/test-eim.js';

const EID = credentials.eid;
const brokerUrl = process.env.TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';

const eim = testEim();
let counter = 0;
let opened: { client?: EsipaClient; front?: Front; ipa?: Ipa } = {};

afterEach(async () => {
  await opened.ipa?.stop();
  opened.client?.close();
  await opened.front?.close();
  opened = {};
});

function packageFor(ipa: Ipa, euiccPackage: EuiccPackage) {
  counter++;
  return {
    euiccPackageRequest: signPackage(eim, {
      eidValue: ipa.euicc.eidValue,
      counterValue: counter,
      eimTransactionId: new Uint8Array([0x20, counter]),
      euiccPackage,
    }),
  };
}

/** A peer behind `front`, and an onboarded device speaking through `client`. */
async function world(front: (peer: EimPeer) => Promise<Front>, client: (url: string) => EsipaClient) {
  counter = 0;
  const peer = new EimPeer();
  opened.front = await front(peer);
  opened.client = client(opened.front.url);
  opened.ipa = new Ipa(onboardedCard(eim).euicc, { client: opened.client, intervalMs: 3_600_000 });
  return { peer, ipa: opened.ipa };
}

/** A package over one CoAP block: many PSMOs, alternating between two profiles. */
const bigPackage: EuiccPackage = {
  psmoList: Array.from({ length: 40 }, (_, i) => ({ enable: { iccid: iccidToBytes(i % 2 ? P1 : P3) } })),
};

describe('CoAP', () => {
  it('polls, executes a package larger than one block, and returns certificates over one block', async () => {
    const { peer, ipa } = await world(
      (p) => coapFront(p),
      (url) => new CoapEsipaClient(url),
    );
    const tagList = new Uint8Array(Buffer.from('BF20BF22A5A684A8A9', 'hex'));
    peer.enqueue(EID, { ipaEuiccDataRequest: { tagList, eimTransactionId: new Uint8Array([9]) } });
    const big = packageFor(ipa, bigPackage);
    peer.enqueue(EID, big);
    await ipa.pollOnce();
    const [data, result] = peer.of('provideEimPackageResult');
    // Block1: the response with both certificates went out whole.
    expect(data!.eimPackageResult.ipaEuiccDataResponse!.ipaEuiccData!.euiccCertificate).toEqual(
      credentials.euiccCertificate,
    );
    // Block2: the card got the whole signed package (its signature checked) and ran its 40 PSMOs.
    expect(
      result!.eimPackageResult.euiccPackageResult!.euiccPackageResultSigned!.euiccPackageResultDataSigned
        .euiccResult,
    ).toHaveLength(40);
    expect(ipa.stats).toMatchObject({ packages: 2, errors: 0 });
  });

  it('reports a refusal with its CoAP code and diagnostic', async () => {
    const { ipa } = await world(
      (p) => coapFront(p, () => 'eidMismatch'),
      (url) => new CoapEsipaClient(url),
    );
    const error = await ipa.pollOnce().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EsipaProtocolError);
    expect((error as Error).message).toMatch(/^eIM answered CoAP 4\.00: eidMismatch: /);
  });

  it('gives up after its timeout when nobody answers', async () => {
    const client = new CoapEsipaClient('coap://127.0.0.1:9', { timeoutMs: 200 });
    opened.client = client;
    await expect(client.exchange({ getEimPackageRequest: { eidValue: new Uint8Array(16) } })).rejects.toThrow(
      /no answer from the eIM within 200 ms|ECONNREFUSED/,
    );
  });
});

describe.each([5, 4] as const)('MQTT %s', (protocolVersion) => {
  const prefix = () => `esipa-sim-test/${randomBytes(4).toString('hex')}`;

  it('polls and executes a package through the broker, from its own EID topic', async () => {
    const topics = prefix();
    const { peer, ipa } = await world(
      (p) => mqttFront(p, brokerUrl, topics),
      (url) => new MqttEsipaClient(url, { protocolVersion }),
    );
    peer.enqueue(EID, packageFor(ipa, { psmoList: [{ enable: { iccid: iccidToBytes(P3) } }] }));
    await ipa.pollOnce();
    expect(peer.of('provideEimPackageResult')).toHaveLength(1);
    expect(ipa.euicc.state.profiles.find((p) => p.iccid === P3)!.state).toBe('enabled');
    // The notifications went out too; HandleNotification has an empty answer.
    expect(peer.of('handleNotificationEsipa')).toHaveLength(2);
    expect(ipa.stats).toMatchObject({ packages: 1, notificationsSent: 2, errors: 0 });
  });

  it('reports a refusal with its reason', async () => {
    const { ipa } = await world(
      (p) => mqttFront(p, brokerUrl, prefix(), () => 'eidMismatch'),
      (url) => new MqttEsipaClient(url, { protocolVersion }),
    );
    await expect(ipa.pollOnce()).rejects.toThrow(/^eIM refused the message: eidMismatch: /);
  });

  it('hands a wake-up on <prefix>/<EID>/wake to its listener', async () => {
    const topics = prefix();
    const front = await mqttFront(new EimPeer(), brokerUrl, topics);
    opened.front = front;
    const client = new MqttEsipaClient(front.url, { protocolVersion });
    opened.client = client;
    const woken: string[] = [];
    client.onWake((eid) => woken.push(eid));
    // Subscribed once an exchange has gone through.
    await client.exchange({ getEimPackageRequest: { eidValue: Buffer.from(EID, 'hex') } }, EID);
    await front.client.publishAsync(`${topics}/${EID}/wake`, Buffer.alloc(0), { qos: 1 });
    await vi.waitFor(() => expect(woken).toEqual([EID]), { timeout: 5000, interval: 20 });
  });

  it('gives up after its timeout when no eIM listens', async () => {
    const client = new MqttEsipaClient(`${brokerUrl}/${prefix()}`, { protocolVersion, timeoutMs: 300 });
    opened.client = client;
    await expect(
      client.exchange({ getEimPackageRequest: { eidValue: Buffer.from(EID, 'hex') } }, EID),
    ).rejects.toThrow(/no answer from the eIM within 300 ms/);
  });
});

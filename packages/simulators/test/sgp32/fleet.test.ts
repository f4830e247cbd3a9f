/** The fleet runner and its admin endpoint over real HTTP, and `esimctl sim ipa` as a process. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toJson, EimConfigurationData } from '@esim/asn1';
import { adminServer } from '../../src/sgp32/ipa/admin-routes.js';
import { Fleet } from '../../src/sgp32/ipa/fleet.js';
import { isValidEid } from '../../src/sgp32/pki/eid.js';
import { iccidToBytes, luhnCheckDigit } from '../../src/sgp32/pki/iccid.js';
import { EimPeer } from './support/eim-peer.js';
import { startSimCli } from './support/sim-cli.js';
import { configurationOf, signPackage, testEim } from './support/test-eim.js';

const pkiDir = mkdtempSync(join(tmpdir(), 'esim-ipa-fleet-'));
afterAll(() => rmSync(pkiDir, { recursive: true, force: true }));

let peer: EimPeer;
beforeEach(async () => {
  peer = await new EimPeer().start();
});
afterEach(async () => {
  await peer.close();
});

describe('fleet runner and admin endpoint', () => {
  let fleet: Fleet;
  let admin: FastifyInstance;
  let url: string;
  const eim = testEim();

  beforeAll(async () => {
    fleet = await Fleet.create({
      eimUrl: 'http://127.0.0.1:1',
      count: 4,
      intervalMs: 60_000,
      jitterMs: 0,
      pkiDir,
      concurrency: 2,
      eims: [configurationOf(eim, { associationToken: 0 })],
    });
    admin = await adminServer(fleet);
    url = await admin.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await fleet.stop();
    await admin.close();
  });

  const post = (path: string, body: unknown) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('GET /sim/fleet: every device, its profiles (one enabled, valid ICCIDs) and its eIMs with counters', async () => {
    const body = (await (await fetch(`${url}/sim/fleet`)).json()) as {
      ciCertificate: string;
      devices: ReturnType<Fleet['describe']>;
    };
    expect(body.ciCertificate).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect(body.devices).toHaveLength(4);
    expect(new Set(body.devices.map((d) => d.eid)).size).toBe(4);
    expect(new Set(body.devices.map((d) => d.imei)).size).toBe(4);
    for (const d of body.devices) {
      expect(isValidEid(d.eid)).toBe(true);
      expect(d.profiles.length).toBeGreaterThanOrEqual(2);
      expect(d.profiles.length).toBeLessThanOrEqual(3);
      expect(d.profiles.filter((p) => p.state === 'enabled')).toHaveLength(1);
      expect(d.profiles.filter((p) => p.fallbackAttribute)).toHaveLength(1);
      for (const p of d.profiles) expect(luhnCheckDigit(p.iccid.slice(0, -1))).toBe(p.iccid.slice(-1));
      expect(d.eims).toEqual([
        { eimId: eim.eimId, eimFqdn: eim.eimId, counterValue: 0, associationToken: 1 },
      ]);
    }
  });

  it('GET /sim/fleet/:eid: one device; an unknown EID is 404, a malformed one 400', async () => {
    const eid = fleet.devices[2]!.eid;
    const one = (await (await fetch(`${url}/sim/fleet/${eid}`)).json()) as {
      eid: string;
      profiles: unknown[];
    };
    expect(one.eid).toBe(eid);
    expect(one.profiles).toHaveLength(3);
    expect((await fetch(`${url}/sim/fleet/89049099000000000000009999999999`)).status).toBe(404);
    expect((await fetch(`${url}/sim/fleet/1234`)).status).toBe(400);
  });

  it('POST /sim/faults sets faults on one device or all, reboots, and refuses bad input', async () => {
    const one = fleet.devices[1]!.eid;
    const res = await post('/sim/faults', { eid: one, offline: true, latencyMs: 5 });
    expect(res.status).toBe(200);
    expect(fleet.devices[1]!.faults).toEqual({
      offline: true,
      dropResponses: 0,
      latencyMs: 5,
      forgeSignatures: 0,
      switchFails: 0,
    });
    expect(fleet.devices[0]!.faults.offline).toBe(false);
    expect((await post('/sim/faults', { offline: false, latencyMs: 0, reboot: true })).status).toBe(200);
    expect(fleet.devices.every((d) => !d.faults.offline)).toBe(true);
    const unknown = await post('/sim/faults', { eid: '89049099000000000000009999999999', offline: true });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { message: string }).message).toMatch(/no simulated device/);
    expect((await post('/sim/faults', { offline: 'yes' })).status).toBe(400);
    expect((await post('/sim/faults', { dropResponses: -1 })).status).toBe(400);
    expect((await post('/sim/faults', { eid: '123' })).status).toBe(400);
    expect((await post('/sim/faults', { unknownFault: true })).status).toBe(400);
    const notJson = await fetch(`${url}/sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"offline": tru',
    });
    expect(notJson.status).toBe(400);
    expect(fleet.devices.every((d) => !d.faults.offline)).toBe(true);
  });

  it('POST /sim/fallback runs the fallback mechanism on one device', async () => {
    const eid = fleet.devices[3]!.eid;
    const res = await post('/sim/fallback', { eid });
    expect(await res.json()).toEqual({ eid, activated: true });
    const enabled = fleet.devices[3]!.euicc.state.profiles.find((p) => p.state === 'enabled')!;
    expect(enabled.fallbackAttribute).toBe(true);
    expect(fleet.describe(eid)[0]).toMatchObject({ pendingNotifications: 2, pendingPackageResults: 0 });
    expect(await (await post('/sim/fallback', { eid })).json()).toEqual({ eid, activated: false });
    expect((await post('/sim/fallback', {})).status).toBe(400);
  });

  it('POST /sim/local-enable switches profiles on the device itself', async () => {
    const device = fleet.devices[0]!;
    const disabled = device.euicc.state.profiles.find((p) => p.state === 'disabled')!.iccid;
    const res = await post('/sim/local-enable', { eid: device.eid, iccid: disabled });
    expect(await res.json()).toEqual({ eid: device.eid, enabled: true });
    expect(device.euicc.enabledIccid()).toBe(disabled);
    expect(device.euicc.state.unreportedStateChange).toBe(3);
    expect((await post('/sim/local-enable', { eid: device.eid, iccid: 'x' })).status).toBe(400);
  });

  it('POST /sim/eims onboards another eIM; bad configuration data is refused and changes nothing', async () => {
    const other = testEim('second.eim.example');
    const eid = fleet.devices[2]!.eid;
    const res = await post('/sim/eims', {
      eid,
      eimConfigurationData: toJson(EimConfigurationData, configurationOf(other)),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      devices: [{ eid, response: { addInitialEimOk: [{ addOk: null }] } }],
    });
    expect(fleet.devices[2]!.euicc.state.eims).toHaveLength(2);
    const duplicate = await post('/sim/eims', {
      eid,
      eimConfigurationData: toJson(EimConfigurationData, configurationOf(other)),
    });
    expect(await duplicate.json()).toEqual({ devices: [{ eid, response: { addInitialEimError: 2 } }] });
    const bad = await post('/sim/eims', { eid, eimConfigurationData: { eimId: 42 } });
    expect(bad.status).toBe(400);
    expect(fleet.devices[2]!.euicc.state.eims).toHaveLength(2);
  });
});

describe('POST /sim/poll through the fleet', () => {
  it('polls the chosen device now and reports the outcome', async () => {
    const fleet = await Fleet.create({ eimUrl: peer.url, count: 2, intervalMs: 60_000, jitterMs: 0, pkiDir });
    const admin = await adminServer(fleet);
    try {
      const eid = fleet.devices[1]!.eid;
      const res = await admin.inject({ method: 'POST', url: '/sim/poll', payload: { eid } });
      expect(res.json()).toEqual({ devices: [{ eid, ok: true }] });
      expect(peer.of('getEimPackageRequest').map((r) => Buffer.from(r.eidValue).toString('hex'))).toEqual([
        eid,
      ]);
      fleet.devices[0]!.faults.offline = true;
      const all = await admin.inject({ method: 'POST', url: '/sim/poll', payload: {} });
      expect(all.json()).toEqual({
        devices: [
          { eid: fleet.devices[0]!.eid, ok: false, error: 'device is offline (fault injected)' },
          { eid, ok: true },
        ],
      });
    } finally {
      await admin.close();
    }
  });

  it("POST /sim/replay: 409 before any package, the card's refusal after one; the EID is required", async () => {
    const fleet = await Fleet.create({ eimUrl: peer.url, count: 1, intervalMs: 60_000, jitterMs: 0, pkiDir });
    const admin = await adminServer(fleet);
    try {
      const eid = fleet.devices[0]!.eid;
      expect((await admin.inject({ method: 'POST', url: '/sim/replay', payload: {} })).statusCode).toBe(400);
      const none = await admin.inject({ method: 'POST', url: '/sim/replay', payload: { eid } });
      expect(none.statusCode).toBe(409);
      const eim = testEim();
      fleet.devices[0]!.euicc.addInitialEim({ eimConfigurationDataList: [configurationOf(eim)] });
      peer.enqueue(eid, {
        euiccPackageRequest: signPackage(eim, {
          eidValue: fleet.devices[0]!.euicc.eidValue,
          counterValue: 1,
          euiccPackage: { psmoList: [{ getRAT: {} }] },
        }),
      });
      await fleet.devices[0]!.pollOnce();
      const replay = await admin.inject({ method: 'POST', url: '/sim/replay', payload: { eid, send: true } });
      expect(replay.statusCode).toBe(200);
      expect(replay.json()).toMatchObject({
        eid,
        result: { euiccPackageErrorSigned: { euiccPackageErrorDataSigned: { euiccPackageErrorCode: 4 } } },
      });
      expect(peer.of('provideEimPackageResult')).toHaveLength(2);
    } finally {
      await admin.close();
      await fleet.stop();
    }
  });

  it('with a state folder, a restarted fleet finds its cards as they were; a damaged file is refused', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'esim-ipa-state-'));
    const eim = testEim();
    const options = {
      eimUrl: peer.url,
      count: 2,
      intervalMs: 60_000,
      jitterMs: 0,
      pkiDir,
      stateDir,
      eims: [configurationOf(eim)],
    };
    try {
      const first = await Fleet.create(options);
      const device = first.devices[1]!;
      const bootstrap = device.euicc.state.profiles[1]!.iccid;
      peer.enqueue(device.eid, {
        euiccPackageRequest: signPackage(eim, {
          eidValue: device.euicc.eidValue,
          counterValue: 7,
          euiccPackage: { psmoList: [{ enable: { iccid: iccidToBytes(bootstrap) } }] },
        }),
      });
      await device.pollOnce();
      await first.stop();
      const again = await Fleet.create(options);
      const card = again.devices[1]!.euicc.state;
      expect(card.profiles.find((p) => p.iccid === bootstrap)!.state).toBe('enabled');
      expect(card.eims.map((e) => e.counterValue)).toEqual([7]);
      await again.stop();
      writeFileSync(join(stateDir, `${device.eid}.json`), '{"eid": "not this one"');
      await expect(Fleet.create(options)).rejects.toThrow(/not JSON/);
      writeFileSync(join(stateDir, `${device.eid}.json`), JSON.stringify({ eid: first.devices[0]!.eid }));
      await expect(Fleet.create(options)).rejects.toThrow(/not the state of the eUICC/);
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });

  it('rebootEvery reboots every device in turn, cards kept', async () => {
    const fleet = await Fleet.create({ eimUrl: peer.url, count: 2, intervalMs: 60_000, jitterMs: 0, pkiDir });
    try {
      const before = fleet.devices.map((d) => d.euicc);
      fleet.rebootEvery(20);
      for (let i = 0; i < 300 && fleet.devices.some((d, k) => d.euicc === before[k]); i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
      fleet.devices.forEach((d, k) => {
        expect(d.euicc).not.toBe(before[k]);
        expect(d.euicc.state).toEqual(before[k]!.state);
      });
    } finally {
      await fleet.stop();
    }
  });

  it('refuses a bad fleet size, and more than one device without a PKI folder', async () => {
    await expect(Fleet.create({ eimUrl: peer.url, count: 0, intervalMs: 1, jitterMs: 0 })).rejects.toThrow(
      RangeError,
    );
    await expect(Fleet.create({ eimUrl: peer.url, count: 2, intervalMs: 1, jitterMs: 0 })).rejects.toThrow(
      /PKI folder/,
    );
  });
});

/** Each test starts the CLI from the sources: slow on a loaded machine, hence the longer timeouts. */
describe('esimctl sim ipa', () => {
  const start = (args: string[]) => startSimCli('ipa', args);

  it('runs a fleet that polls the eIM, onboarded with the given eIM key, and serves /sim/fleet', async () => {
    const eim = testEim('cli.eim.example');
    const keyFile = join(pkiDir, 'eim.spki.der');
    writeFileSync(keyFile, eim.spki);
    const run = start([
      '--eim',
      peer.url,
      '--count',
      '2',
      '--interval',
      '50',
      '--jitter',
      '10',
      '--pki-dir',
      pkiDir,
      '--eim-id',
      eim.eimId,
      '--eim-public-key',
      keyFile,
    ]);
    try {
      const [, adminUrl] = (await run.waitFor(/admin (http:\/\/127\.0\.0\.1:\d+)/)) as unknown as [
        string,
        string,
      ];
      for (
        let i = 0;
        i < 200 &&
        new Set(peer.of('getEimPackageRequest').map((r) => Buffer.from(r.eidValue).toString('hex'))).size < 2;
        i++
      ) {
        await new Promise((r) => setTimeout(r, 25));
      }
      expect(
        new Set(peer.of('getEimPackageRequest').map((r) => Buffer.from(r.eidValue).toString('hex'))).size,
      ).toBe(2);
      const fleet = (await (await fetch(`${adminUrl}/sim/fleet`)).json()) as {
        devices: { eims: { eimId: string }[] }[];
      };
      expect(fleet.devices.map((d) => d.eims.map((e) => e.eimId))).toEqual([[eim.eimId], [eim.eimId]]);
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
    }
  }, 60_000);

  it('onboards with the EimConfigurationData JSON that `esimctl eim config` prints; speaks the JSON binding', async () => {
    const eim = testEim('config.eim.example');
    const configFile = join(pkiDir, 'eim-config.json');
    writeFileSync(
      configFile,
      JSON.stringify({ eimConfigurationData: toJson(EimConfigurationData, configurationOf(eim)), der: '' }),
    );
    const run = start([
      '--eim',
      peer.url,
      '--interval',
      '60000',
      '--eim-config',
      configFile,
      '--binding',
      'json',
    ]);
    try {
      const [, adminUrl] = (await run.waitFor(/admin (http:\/\/127\.0\.0\.1:\d+)/)) as unknown as [
        string,
        string,
      ];
      const fleet = (await (await fetch(`${adminUrl}/sim/fleet`)).json()) as {
        devices: { eid: string; eims: unknown[] }[];
      };
      expect(fleet.devices).toEqual([
        expect.objectContaining({
          eid: '89049032123451234512345678901235',
          eims: [{ eimId: eim.eimId, eimFqdn: eim.eimId, counterValue: 0 }],
        }),
      ]);
      const eid = fleet.devices[0]!.eid;
      const poll = await fetch(`${adminUrl}/sim/poll`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ eid }),
      });
      expect(await poll.json()).toEqual({ devices: [{ eid, ok: true }] });
      expect(peer.received.map((r) => r.path)).toContain('/gsma/rsp2/esipa/getEimPackage');
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
    }
  }, 60_000);

  it('bad input: one line on stderr and exit code 2', async () => {
    const badConfig = join(pkiDir, 'bad-config.json');
    writeFileSync(badConfig, JSON.stringify({ eimId: 7 }));
    const cases: [string[], RegExp, number | 'nonzero'][] = [
      [['--count', '3'], /--count > 1 needs --pki-dir/, 2],
      [['--count', 'many'], /expected an integer >= 1/, 'nonzero'],
      [['--eim-id', 'x', '--eim-public-key', join(pkiDir, 'nope.pem')], /ENOENT|no such file/, 2],
      [['--admin-port', new URL(peer.url).port], /EADDRINUSE/, 2],
      [['--binding', 'xml'], /Allowed choices are asn1, json/, 'nonzero'],
      [['--eim-id', 'x', '--eim-public-key', badConfig], /neither a certificate nor a public key/, 2],
      [['--eim-config', badConfig], /esimctl sim ipa: .*eimId/, 2],
      [['--transport', 'coap'], /--transport coap needs a matching --eim URL/, 2],
      [['--transport', 'udp'], /Allowed choices are http, coap, mqtt/, 'nonzero'],
    ];
    // In parallel: each is a process start, and together they must fit one test timeout.
    const runs = cases.map(([args]) => start(['--eim', peer.url, ...args]));
    const codes = await Promise.all(runs.map((r) => r.exited));
    cases.forEach(([, message, code], i) => {
      expect(runs[i]!.output()).toMatch(message);
      if (code === 'nonzero') expect(codes[i]).not.toBe(0);
      else expect(codes[i]).toBe(code);
    });
  }, 60_000);
});

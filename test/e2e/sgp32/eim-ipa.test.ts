import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decode,
  encode,
  EsipaMessageFromEimToIpa,
  EsipaMessageFromIpaToEim,
  EuiccPackageResultDataSigned,
} from '@esim/asn1';
import { fromHex, importP256PrivateKey, signRS } from '@esim/eim';
import type { Sgp32StackAdapter } from '@esim/orchestrator';
import { testDatabaseKind } from '@esim/orchestrator/testing';
import { Sgp32World, type SimDevice } from './support/sgp32-world.js';

const EIM_ID = 'eim.e2e.test';
const EID = '89049032123451234512345678901235';
const sgp26 = resolve(import.meta.dirname, '../../../../shared/vectors/sgp26');
const asn1Headers = { 'content-type': 'application/x-gsma-rsp-asn1', 'x-admin-protocol': 'gsma/rsp/v2.1.0' };

/**
 * The eIM of the product (in-process app, real HTTP on 127.0.0.1) and the IPA simulator with the
 * SGP.26 test eUICC (`esimctl sim ipa` in its own process), onboarded with our EimConfigurationData.
 * Polls are driven through the simulator's admin endpoint so each step is deterministic.
 */
describe(`SGP.32 eIM with the IPA simulator on ${testDatabaseKind()}`, () => {
  const world = new Sgp32World(EIM_ID);
  let iccids: string[];

  beforeAll(async () => {
    await world.start();
    await world.app.db.knex('euiccs').insert({ eid: EID, stack: 'sgp32' });
    iccids = (await fleet()).profiles.map((p) => p.iccid);
  }, 120_000);
  afterAll(() => world.stop());

  const fleet = async (): Promise<SimDevice> => (await world.devices())[0]!;
  const poll = async () => (await world.poll())[0]!;
  const profile = async (iccid: string) => (await fleet()).profiles.find((p) => p.iccid === iccid);
  const inventory = async (iccid: string) =>
    (await world.app.db.knex('profiles').where({ iccid }).first('state', 'fallback')) as
      { state: string; fallback: boolean } | undefined;
  const run = (type: Parameters<Sgp32World['run']>[1], params: Record<string, unknown>) =>
    world.run(EID, type, params);
  const state = (id: string) => world.state(id);
  const rejections = () =>
    world.app.db
      .knex('eim_rejected_results')
      .orderBy('id')
      .select('reason', 'function', 'eim_transaction_id');

  it('IpaEuiccDataRequest, then listProfileInfo: certificates learned, the profile list becomes the inventory', async () => {
    const id = await run('audit', {});
    expect(await poll()).toEqual({ eid: EID, ok: true });
    expect(await state(id)).toBe('succeeded');
    expect(await world.app.db.knex('eim_euicc_certificates').where({ eid: EID }).first('eid')).toEqual({
      eid: EID,
    });
    const kinds = (await world.app.db.knex('eim_packages').orderBy('id').select('kind', 'state')) as {
      kind: string;
      state: string;
    }[];
    expect(kinds).toEqual([
      { kind: 'ipaEuiccData', state: 'done' },
      { kind: 'euiccPackage', state: 'done' },
    ]);
    for (const p of (await fleet()).profiles) {
      expect(await inventory(p.iccid)).toEqual({ state: p.state, fallback: p.fallbackAttribute });
    }
  });

  it('enable', async () => {
    const id = await run('enable', { iccid: iccids[2] });
    expect(await poll()).toMatchObject({ ok: true });
    expect(await state(id)).toBe('succeeded');
    expect((await profile(iccids[2]!))?.state).toBe('enabled');
    expect((await inventory(iccids[2]!))?.state).toBe('enabled');
    expect((await inventory(iccids[0]!))?.state).toBe('disabled');
  });

  it('setFallbackAttribute', async () => {
    const id = await run('setFallback', { iccid: iccids[0] });
    await poll();
    expect(await state(id)).toBe('succeeded');
    expect((await profile(iccids[0]!))?.fallbackAttribute).toBe(true);
    expect((await profile(iccids[1]!))?.fallbackAttribute).toBe(false);
    expect((await inventory(iccids[0]!))?.fallback).toBe(true);
  });

  it('delete', async () => {
    const id = await run('delete', { iccid: iccids[1] });
    await poll();
    expect(await state(id)).toBe('succeeded');
    expect(await profile(iccids[1]!)).toBeUndefined();
    expect((await inventory(iccids[1]!))?.state).toBe('deleted');
  });

  it('disable', async () => {
    const id = await run('disable', { iccid: iccids[2] });
    await poll();
    expect(await state(id)).toBe('succeeded');
    expect((await profile(iccids[2]!))?.state).toBe('disabled');
    expect((await inventory(iccids[2]!))?.state).toBe('disabled');
    expect(await rejections()).toEqual([]);
  });

  it('eCO: addEim, updateEim, deleteEim', async () => {
    const eco = async (
      ecoList: Parameters<Sgp32StackAdapter['eim']['queueEuiccPackage']>[0]['euiccPackage'],
    ) => {
      const q = await world.adapter.eim.queueEuiccPackage({ eid: EID, euiccPackage: ecoList });
      expect(await poll()).toMatchObject({ ok: true });
      return world.app.db
        .knex('eim_packages')
        .where({ eim_transaction_id: q.eimTransactionId })
        .first('state', 'result');
    };
    const eimCertificate = new Uint8Array(
      readFileSync(`${sgp26}/variant-o/EIM/CERT_S_EIMsign_ECDSA_NIST.der`),
    );
    expect(
      await eco({
        ecoList: [
          {
            addEim: {
              eimId: 'eim2.example',
              eimFqdn: 'eim2.example',
              counterValue: 0,
              eimPublicKeyData: { eimCertificate },
            },
          },
        ],
      }),
    ).toMatchObject({ state: 'done' });
    expect((await fleet()).eims.map((e) => e.eimId)).toEqual([EIM_ID, 'eim2.example']);
    expect(
      await eco({ ecoList: [{ updateEim: { eimId: 'eim2.example', eimFqdn: 'eim2-new.example' } }] }),
    ).toMatchObject({ state: 'done' });
    expect((await fleet()).eims.find((e) => e.eimId === 'eim2.example')?.eimFqdn).toBe('eim2-new.example');
    expect(await eco({ ecoList: [{ deleteEim: { eimId: 'eim2.example' } }] })).toMatchObject({
      state: 'done',
    });
    expect((await fleet()).eims.map((e) => e.eimId)).toEqual([EIM_ID]);
  });

  it('ProfileDownloadTriggerRequest delivery', async () => {
    const id = await run('download', { activationCode: '1$127.0.0.1:1$MATCH-E2E' });
    await poll();
    expect(JSON.stringify((await fleet()).downloadTriggers)).toContain('1$127.0.0.1:1$MATCH-E2E');
    // No SM-DP+ answers at that address: the eIM's relay says undefinedError, the IPA reports
    // the failed download, and the operation ends with its reason.
    expect(await world.operations.get(id)).toMatchObject({
      state: 'failed',
      error: { code: 'profileDownloadErrorReason=127' },
    });
  });

  it('a forged result is rejected by the eIM, recorded, never applied; the real one still is', async () => {
    const id = await run('enable', { iccid: iccids[2] });
    // An attacker polls as the device, and answers with a result signed by another key.
    const res = await fetch(`${world.app.urls.api}/gsma/rsp2/asn1`, {
      method: 'POST',
      headers: asn1Headers,
      body: encode(EsipaMessageFromIpaToEim, { getEimPackageRequest: { eidValue: fromHex(EID) } }),
    });
    const signed = decode(EsipaMessageFromEimToIpa, new Uint8Array(await res.arrayBuffer()))
      .getEimPackageResponse!.euiccPackageRequest!.euiccPackageSigned;
    const data: EuiccPackageResultDataSigned = {
      eimId: EIM_ID,
      counterValue: signed.counterValue,
      eimTransactionId: signed.eimTransactionId!,
      seqNumber: 999,
      euiccResult: [{ enableResult: 0 }],
    };
    const key = await importP256PrivateKey(readFileSync(`${sgp26}/EUM/SK_EUM_ECDSA_NIST.pem`, 'utf8'));
    const forged = encode(EsipaMessageFromIpaToEim, {
      provideEimPackageResult: {
        eidValue: fromHex(EID),
        eimPackageResult: {
          euiccPackageResult: {
            euiccPackageResultSigned: {
              euiccPackageResultDataSigned: data,
              euiccSignEPR: await signRS(key, encode(EuiccPackageResultDataSigned, data)),
            },
          },
        },
      },
    });
    const answer = await fetch(`${world.app.urls.api}/gsma/rsp2/asn1`, {
      method: 'POST',
      headers: asn1Headers,
      body: forged,
    });
    expect(decode(EsipaMessageFromEimToIpa, new Uint8Array(await answer.arrayBuffer()))).toEqual({
      provideEimPackageResultResponse: { provideEimPackageResultError: 127 },
    });
    expect(await rejections()).toEqual([
      {
        reason: 'badSignature',
        function: 'ProvideEimPackageResult',
        eim_transaction_id: Buffer.from(signed.eimTransactionId!).toString('hex').toUpperCase(),
      },
    ]);
    expect(await state(id)).toBe('sent');
    expect((await inventory(iccids[2]!))?.state).toBe('disabled');
    // The device gets the same package and its genuine result is applied.
    expect(await poll()).toMatchObject({ ok: true });
    expect(await state(id)).toBe('succeeded');
    expect((await inventory(iccids[2]!))?.state).toBe('enabled');
  });

  it('a replayed package is rejected by the eUICC (and its answer is not applied)', async () => {
    const done = (await world.app.db
      .knex('eim_packages')
      .where({ kind: 'euiccPackage', state: 'done' })
      .orderBy('id', 'desc')
      .first('body', 'eim_transaction_id')) as {
      body: Buffer;
      eim_transaction_id: string;
    };
    const counterBefore = (await fleet()).eims[0]!.counterValue;
    const profilesBefore = (await fleet()).profiles;
    // The exact bytes of a package the card already executed, offered again.
    await world.app.db.knex('eim_packages').insert({
      eid: EID,
      eim_id: EIM_ID,
      kind: 'euiccPackage',
      eim_transaction_id: 'REPLAY01',
      body: done.body,
    });
    const outcome = await poll();
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(/provideEimPackageResultError 127/);
    expect((await fleet()).eims[0]!.counterValue).toBe(counterBefore);
    expect((await fleet()).profiles).toEqual(profilesBefore);
    // The card's signed replayError names the original package, which already has its result.
    expect((await rejections()).at(-1)).toEqual({
      reason: 'replayed',
      function: 'ProvideEimPackageResult',
      eim_transaction_id: done.eim_transaction_id,
    });
    await world.app.db
      .knex('eim_packages')
      .where({ eim_transaction_id: 'REPLAY01' })
      .update({ state: 'failed' });
  });

  it('a lost GetEimPackage answer loses nothing: the same package comes again, and is applied once', async () => {
    const id = await run('enable', { iccid: iccids[0] });
    await world.faults({ dropResponses: 1 });
    expect(await poll()).toMatchObject({ ok: false, error: expect.stringMatching(/dropped/) });
    expect(await state(id)).toBe('sent');
    const pkg = (await world.app.db
      .knex('eim_packages')
      .where({ state: 'delivered' })
      .first('deliveries')) as {
      deliveries: number;
    };
    expect(pkg.deliveries).toBe(1);
    expect(await poll()).toMatchObject({ ok: true });
    expect(await state(id)).toBe('succeeded');
    expect((await profile(iccids[0]!))?.state).toBe('enabled');
    expect((await inventory(iccids[0]!))?.state).toBe('enabled');
  });

  it('a tampered device result is refused; the genuine one is then recovered from the eUICC', async () => {
    const id = await run('disable', { iccid: iccids[0] });
    await world.faults({ forgeSignatures: 1 });
    const before = (await rejections()).length;
    expect(await poll()).toMatchObject({
      ok: false,
      error: expect.stringMatching(/provideEimPackageResultError 127/),
    });
    expect((await rejections()).slice(before).map((r) => r.reason)).toEqual(['badSignature']);
    expect(await state(id)).toBe('sent');
    expect((await inventory(iccids[0]!))?.state).toBe('enabled');
    // The card executed the package: it answers replayError when it comes again, and the eIM
    // fetches the signed result the card still holds.
    expect(await poll()).toMatchObject({ ok: true });
    expect(await state(id)).toBe('succeeded');
    expect((await profile(iccids[0]!))?.state).toBe('disabled');
    expect((await inventory(iccids[0]!))?.state).toBe('disabled');
  });

  it('an eIM restart mid-flow loses no package and reuses no counter', async () => {
    // One operation in flight per eUICC (the product's rule), plus a package of the eIM's own behind it.
    const a = await run('enable', { iccid: iccids[0] });
    const b = await world.adapter.eim.queueEuiccPackage({
      eid: EID,
      euiccPackage: { ecoList: [{ listEim: {} }] },
    });
    await world.app.close();
    await world.startApp();
    expect(await poll()).toMatchObject({ ok: true });
    expect(await state(a)).toBe('succeeded');
    expect((await profile(iccids[0]!))?.state).toBe('enabled');
    expect(
      await world.app.db
        .knex('eim_packages')
        .where({ eim_transaction_id: b.eimTransactionId })
        .first('state'),
    ).toEqual({ state: 'done' });
    const c = await run('disable', { iccid: iccids[0] });
    expect(await poll()).toMatchObject({ ok: true });
    expect(await state(c)).toBe('succeeded');
    const counters = (
      (await world.app.db
        .knex('eim_packages')
        .whereNotNull('counter_value')
        .orderBy('id')
        .select('counter_value')) as { counter_value: number }[]
    ).map((r) => Number(r.counter_value));
    // Allocated in queue order, strictly increasing, none twice, across the restart.
    expect(counters).toEqual([...counters].sort((x, y) => x - y));
    expect(new Set(counters).size).toBe(counters.length);
    expect((await fleet()).eims[0]!.counterValue).toBe(Math.max(...counters));
  });
});

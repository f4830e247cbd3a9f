import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decode, EimConfigurationData, parseHex, toJson } from '@esim/asn1';
import { startEsimctl } from '../support/esimctl.js';

const run = async (args: string[], env: Record<string, string>) => {
  const cli = startEsimctl(args, env);
  const code = await cli.exited;
  return { code, out: cli.output() };
};

describe('esimctl eim config', () => {
  it('prints the EimConfigurationData as JSON and DER, with the key generated once and kept', async () => {
    const env = {
      DATA_DIR: mkdtempSync(join(tmpdir(), 'eim-cli-')),
      EIM_ID: 'eim.cli.test',
      EIM_FQDN: 'eim.cli.test:8443',
    };
    const first = await run(['eim', 'config', '--counter', '5'], env);
    expect(first.code).toBe(0);
    const printed = JSON.parse(first.out) as { eimConfigurationData: Record<string, unknown>; der: string };
    expect(printed.eimConfigurationData).toMatchObject({
      eimId: 'eim.cli.test',
      eimFqdn: 'eim.cli.test:8443',
      counterValue: 5,
    });
    // The DER says the same as the JSON.
    expect(toJson(EimConfigurationData, decode(EimConfigurationData, parseHex(printed.der)!))).toEqual(
      printed.eimConfigurationData,
    );
    const second = JSON.parse((await run(['eim', 'config'], env)).out) as typeof printed;
    expect(second.eimConfigurationData.eimPublicKeyData).toEqual(
      printed.eimConfigurationData.eimPublicKeyData,
    );
  });

  it('refuses a bad counter and a key without its certificate, with one line and exit code 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eim-cli-'));
    const bad = await run(['eim', 'config', '--counter', '-1'], { DATA_DIR: dir });
    expect(bad.code).toBe(2);
    expect(bad.out).toMatch(/--counter must be a non-negative integer/);
    const half = await run(['eim', 'config'], { DATA_DIR: dir, EIM_KEY_FILE: join(dir, 'key.pem') });
    expect(half.code).toBe(2);
    expect(half.out).toMatch(/EIM_KEY_FILE and EIM_CERT_FILE must be set together/);
  });
});

describe('esimctl eim rejections', () => {
  it('lists what the eIM refused, as JSON lines, filtered by EID', async () => {
    const env = { DATA_DIR: mkdtempSync(join(tmpdir(), 'eim-cli-')) };
    expect((await run(['migrate'], env)).code).toBe(0);
    const { openDatabase } = await import('../../src/db/database.js');
    const db = await openDatabase({ embedded: env.DATA_DIR });
    try {
      const { KnexEimStore } = await import('@esim/eim');
      const store = new KnexEimStore(db.knex);
      for (const eid of ['89049032123451234512345678901235', '89049032123451234512345678901332'])
        await store.recordRejection({
          eid,
          eimTransactionId: 'AB',
          function: 'ProvideEimPackageResult',
          reason: 'badSignature',
          message: 'forged',
          body: Uint8Array.of(0xbf, 0x50),
        });
    } finally {
      await db.close();
    }
    const out = await run(['eim', 'rejections', '--eid', '89049032123451234512345678901332'], env);
    expect(out.code).toBe(0);
    const lines = out.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([
      expect.objectContaining({
        eid: '89049032123451234512345678901332',
        reason: 'badSignature',
        body: 'BF50',
      }),
    ]);
  });
});

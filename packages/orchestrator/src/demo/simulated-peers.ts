import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { App } from '../app.js';
import { ApiTokens } from '../auth/api-tokens.js';
import { bulkImport } from '../inventory/bulk-import.js';
import { checkRow, type ParsedRow } from '../inventory/import-row.js';
import { simulatorsCli } from '../cli/commands/sim.js';

/** Platform ids under which the simulated peers appear in the inventory. */
const ids = { smsr: 'sim-smsr', smdp: 'sim-smdp', smdpPlus: 'sim-smdpp', eim: 'eim' } as const;

export interface SimulatedPeers {
  readonly urls: { smsr: string; smdp: string; ipaAdmin: string; smdpPlus: string };
  /** A profile the SM-DP+ serves to any simulated card: a `download` operation's activationCode. */
  readonly activationCode: string;
  readonly devices: { sgp02: number; sgp32: number };
  /** An admin API token for trying the demo, printed once (only its hash is stored). */
  readonly adminToken: string;
  close(): Promise<void>;
}

interface SmsrFleet {
  euiccs: {
    eid: string;
    eumId: string;
    profiles: { iccid: string; state: string; fallback: boolean; mnoId: string }[];
  }[];
}

interface IpaFleet {
  devices: {
    eid: string;
    profiles: { iccid: string; state: string; fallbackAttribute?: boolean; serviceProviderName?: string }[];
  }[];
}

/**
 * The demo of `esimctl serve --with-simulators`: an SM-SR with SGP.02 eUICCs, an SM-DP behind it,
 * a fleet of IPA devices polling our eIM and an SM-DP+ they download profiles from (through the
 * eIM), each a child process of its own (`esimctl sim ...`),
 * registered in the inventory as the simulators describe them (GET /sim/fleet). Re-running
 * registers the same fleet again: the import is an idempotent upsert.
 */
export async function startSimulatedPeers(app: App, count: number): Promise<SimulatedPeers> {
  const { config } = app;
  const children: ChildProcess[] = [];
  const close = async () => {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((res) => {
            if (c.exitCode !== null || c.signalCode !== null) return res();
            c.once('exit', () => res());
            c.kill('SIGTERM');
          }),
      ),
    );
  };
  try {
    const run = (args: string[], ready: RegExp) => {
      const started = startPeer(args, ready);
      children.push(started.child);
      return started.ready;
    };
    const operator = ['--operator', config.SGP02_ENTITY_ID];
    const [, smsrEntity, es4, es3, smsrUrl] = await run(
      ['smsr', '--count', String(count), ...operator],
      /SM-SR (\S+) ready: ES4 (\S+) ES3 (\S+) ES7 \S+ fleet (\S+)\/sim\/fleet/,
    );
    const [, smdpEntity, es2] = await run(
      ['smdp', '--smsr', es3!, ...operator],
      /SM-DP (\S+) ready: ES2 (\S+) /,
    );
    const [, ipaAdmin] = await run(
      [
        'ipa',
        '--eim',
        app.urls.api,
        '--count',
        String(count),
        '--interval',
        '5000',
        '--pki-dir',
        join(config.DATA_DIR, 'simulators', 'pki'),
        // The cards keep their profiles and eIM counters across restarts, as real ones do.
        '--state-dir',
        join(config.DATA_DIR, 'simulators', 'euicc-state'),
        '--eim-id',
        config.EIM_ID,
        // Where the eIM keeps the certificate it generated on first start, unless one is configured.
        '--eim-public-key',
        config.EIM_CERT_FILE ?? join(config.DATA_DIR, 'eim', 'eim-cert.pem'),
      ],
      /admin (\S+) \(GET \/sim\/fleet\)/,
    );
    // After the IPAs: their CI (in the PKI folder) issues the SM-DP+ certificates the cards trust.
    const [, es9, smdpPlusAddress, activationCode] = await run(
      ['smdpp', '--pki-dir', join(config.DATA_DIR, 'simulators', 'pki'), '--unique-iccids'],
      /ready, ES9\+ (\S+), address (\S+);.*\n\s+(1\$\S+)/,
    );

    await app.db
      .knex('platforms')
      .insert([
        { id: ids.smsr, kind: 'smsr', name: 'Simulated SM-SR', entity_id: smsrEntity, endpoint_url: es4 },
        { id: ids.smdp, kind: 'smdp', name: 'Simulated SM-DP', entity_id: smdpEntity, endpoint_url: es2 },
        { id: ids.eim, kind: 'eim', name: 'This eIM', entity_id: config.EIM_ID, endpoint_url: app.urls.api },
        {
          id: ids.smdpPlus,
          kind: 'smdpplus',
          name: 'Simulated SM-DP+',
          entity_id: smdpPlusAddress,
          endpoint_url: es9,
        },
      ])
      .onConflict('id')
      .merge();

    const smsrFleet = (await fetchJson(`${smsrUrl}/sim/fleet`)) as SmsrFleet;
    const ipaFleet = (await fetchJson(`${ipaAdmin}/sim/fleet`)) as IpaFleet;
    const rows = [
      ...smsrFleet.euiccs.flatMap((e) =>
        e.profiles.map((p) => ({
          eid: e.eid,
          stack: 'sgp02',
          smsrId: ids.smsr,
          eumId: e.eumId,
          tags: ['simulated'],
          iccid: p.iccid,
          operator: p.mnoId,
          profileState: p.state.toLowerCase(),
          fallback: p.fallback,
          platformId: ids.smdp,
        })),
      ),
      ...ipaFleet.devices.flatMap((d) =>
        d.profiles.map((p) => ({
          eid: d.eid,
          stack: 'sgp32',
          eimId: ids.eim,
          tags: ['simulated'],
          iccid: p.iccid,
          ...(p.serviceProviderName ? { operator: p.serviceProviderName } : {}),
          profileState: p.state.toLowerCase(),
          fallback: p.fallbackAttribute ?? false,
        })),
      ),
    ];
    const report = await bulkImport(app.db.knex, parsed(rows), {
      partial: false,
      actor: 'esimctl serve --with-simulators',
    });
    if (!report.committed)
      throw new Error(
        `the simulated fleet could not be registered: ${JSON.stringify(report.errors.slice(0, 3))}`,
      );
    const { token } = await new ApiTokens(app.db.knex).create('admin', `demo-${new Date().toISOString()}`);
    return {
      adminToken: token,
      urls: { smsr: smsrUrl!, smdp: es2!, ipaAdmin: ipaAdmin!, smdpPlus: es9! },
      activationCode: activationCode!,
      devices: { sgp02: smsrFleet.euiccs.length, sgp32: ipaFleet.devices.length },
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

async function* parsed(rows: unknown[]): AsyncIterable<ParsedRow> {
  let line = 0;
  for (const r of rows) yield checkRow(++line, r);
}

async function fetchJson(url: string): Promise<unknown> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return res.json();
}

/** Starts `esimctl sim <args>` and resolves with the match of its ready line. */
function startPeer(args: string[], ready: RegExp): { child: ChildProcess; ready: Promise<RegExpMatchArray> } {
  const { file, execArgv } = simulatorsCli();
  const child = spawn(process.execPath, [...execArgv, file, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let isReady = false;
  const ready$ = new Promise<RegExpMatchArray>((res, rej) => {
    // Both pipes are drained for the child's whole life so that a chatty simulator never blocks.
    const onData = (d: Buffer) => {
      if (isReady) return;
      out += d.toString();
      const m = out.match(ready);
      if (m) {
        isReady = true;
        res(m);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) =>
      rej(new Error(`esimctl sim ${args[0]} exited (${code}) before it was ready:\n${out}`)),
    );
  });
  return { child, ready: ready$ };
}

import { afterAll, describe, expect, it } from 'vitest';
import { startEsimctl, type RunningCli } from '../support/esimctl.js';

/** `esimctl sim smsr` and `esimctl sim smdp` as a person runs them: each prints its URLs when ready. */
describe('esimctl sim smsr / smdp', () => {
  const running: RunningCli[] = [];
  afterAll(async () => {
    for (const r of running) await r.stop();
  });

  it('starts an SM-SR with a fleet and an SM-DP talking ES3 to it', async () => {
    const smsr = startEsimctl(['sim', 'smsr', '--port', '0', '--count', '3', '--seed', '7']);
    running.push(smsr);
    const [, es4, es3, fleetUrl] = await smsr.waitFor(/ES4 (\S+) ES3 (\S+) ES7 \S+ fleet (\S+) \(3 eUICCs\)/);
    const fleet = (await (await fetch(fleetUrl!)).json()) as {
      kind: string;
      euiccs: { eid: string; profiles: unknown[] }[];
    };
    expect(fleet.kind).toBe('smsr');
    expect(fleet.euiccs).toHaveLength(3);
    expect(fleet.euiccs[0]!.profiles).toHaveLength(2);
    expect(es4).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/es4$/);

    const smdp = startEsimctl(['sim', 'smdp', '--smsr', es3!]);
    running.push(smdp);
    const [, es2] = await smdp.waitFor(/ES2 (\S+) fleet/);
    expect(es2).toMatch(/\/es2$/);
  });

  it('refuses to start an SM-DP without its SM-SR', async () => {
    const smdp = startEsimctl(['sim', 'smdp']);
    running.push(smdp);
    expect(await smdp.exited).not.toBe(0);
    expect(smdp.output()).toMatch(/--smsr <url>/);
  });

  it.each([
    [['--count', 'many'], /--count <n>.*expected an integer from 0 to 100000/],
    [['--port', '70000'], /--port <port>.*expected an integer/],
    [['--peer', 'nonsense'], /--peer <oid=url>.*expected <EntityId>=<ES7 URL>/],
  ])('refuses bad options %j with a clear message', async (args, message) => {
    const smsr = startEsimctl(['sim', 'smsr', ...args]);
    running.push(smsr);
    expect(await smsr.exited).not.toBe(0);
    expect(smsr.output()).toMatch(message);
  });
});

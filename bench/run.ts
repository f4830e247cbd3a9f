/**
 * `pnpm bench [filter]`: runs every case found in packages/<pkg>/bench/*.bench.ts and
 * test/bench/*.bench.ts, prints each subject's rate next to its baseline's and the ratio,
 * and writes bench-results.json for machines.
 */
import { readdirSync, existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Bench } from 'tinybench';
import type { BenchCase } from './harness.js';

const root = resolve(import.meta.dirname, '..');
const filter = process.argv[2];

function caseFiles(): string[] {
  const dirs = [
    ...readdirSync(join(root, 'packages')).map((p) => join(root, 'packages', p, 'bench')),
    join(root, 'test', 'bench'),
  ];
  return dirs
    .filter((d) => existsSync(d))
    .flatMap((d) =>
      readdirSync(d)
        .filter((f) => f.endsWith('.bench.ts'))
        .map((f) => join(d, f)),
    )
    .sort();
}

interface Row {
  case: string;
  unit: string;
  task: string;
  role: 'baseline' | 'subject';
  opsPerSecond: number;
  rme: number;
  samples: number;
  ratioToBaseline: number;
}

const rows: Row[] = [];
for (const file of caseFiles()) {
  const mod = (await import(pathToFileURL(file).href)) as { default: BenchCase | BenchCase[] };
  const cases = Array.isArray(mod.default) ? mod.default : [mod.default];
  for (const c of cases) {
    if (filter && !c.name.includes(filter)) continue;
    await c.setup?.();
    try {
      const bench = new Bench({ time: c.time ?? 1000, warmup: true });
      for (const t of [c.baseline, ...c.subjects]) bench.add(t.name, t.fn);
      await bench.run();
      const rate = (name: string) => {
        const task = bench.tasks.find((t) => t.name === name);
        const r = task?.result;
        if (!r || !('throughput' in r))
          throw new Error(
            `bench ${c.name} / ${name}: ${String((r as { error?: unknown })?.error ?? 'no result')}`,
          );
        return { hz: r.throughput.mean, rme: r.throughput.rme, samples: r.throughput.samplesCount };
      };
      const base = rate(c.baseline.name);
      console.log(`\n${c.name}  (per ${c.unit})`);
      for (const t of [c.baseline, ...c.subjects]) {
        const r = rate(t.name);
        const role = t === c.baseline ? 'baseline' : 'subject';
        const ratio = r.hz / base.hz;
        rows.push({
          case: c.name,
          unit: c.unit,
          task: t.name,
          role,
          opsPerSecond: r.hz,
          rme: r.rme,
          samples: r.samples,
          ratioToBaseline: ratio,
        });
        console.log(
          `  ${role === 'baseline' ? '[baseline]' : '          '} ${t.name.padEnd(58)} ${r.hz.toFixed(0).padStart(10)} ${c.unit}/s  ±${r.rme.toFixed(1)}%  ratio ${ratio.toFixed(3)}`,
        );
      }
    } finally {
      await c.teardown?.();
    }
  }
}
const out = join(root, 'bench-results.json');
writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), node: process.version, rows }, null, 2));
console.log(`\n${rows.length} figures written to ${out}`);

import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { SingleBar } from 'cli-progress';
import type { Campaign } from '../../campaigns/campaign.js';
import { campaignStates } from '../../campaigns/campaign.js';
import { ApiCallError, ApiClient } from '../api-client.js';

interface Remote {
  api: string;
  token?: string;
}

const ended = new Set(['completed', 'cancelled', 'aborted']);

/** `<json|@file|->` */
function readDefinition(input: string): unknown {
  const text =
    input === '-'
      ? readFileSync(0, 'utf8')
      : input.startsWith('@')
        ? readFileSync(input.slice(1), 'utf8')
        : input;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ApiCallError(`the campaign definition is not JSON: ${(e as Error).message}`);
  }
}

const line = (c: Campaign) => {
  const p = c.progress;
  const counts = p
    ? `  ${p.succeeded + p.failed + p.cancelled}/${p.targets - p.skipped} ended, ${p.inFlight} in flight, ${p.failed} failed, ${p.skipped} skipped`
    : '';
  return `${c.id}  ${c.state.padEnd(9)}  ${c.operation.type.padEnd(10)}  ${c.name}${counts}\n`;
};

/** Follows a campaign with a progress bar until it ends; the exit code says whether it completed. */
async function watch(client: ApiClient, id: string, everyMs: number): Promise<void> {
  let c = await client.call<Campaign>('GET', `/campaigns/${id}`);
  const bar = new SingleBar({
    format:
      '{bar} {value}/{total} ended | {inFlight} in flight | {failed} failed | {skipped} skipped | {state}',
    noTTYOutput: true,
    notTTYSchedule: 5000,
    hideCursor: true,
  });
  const values = (x: Campaign) => {
    const p = x.progress!;
    return {
      value: p.succeeded + p.failed + p.cancelled,
      total: p.targets - p.skipped,
      payload: { inFlight: p.inFlight, failed: p.failed, skipped: p.skipped, state: x.state },
    };
  };
  const first = values(c);
  bar.start(first.total, first.value, first.payload);
  while (!ended.has(c.state)) {
    await new Promise((r) => setTimeout(r, everyMs));
    c = await client.call<Campaign>('GET', `/campaigns/${id}`);
    const v = values(c);
    bar.setTotal(v.total);
    bar.update(v.value, v.payload);
  }
  bar.stop();
  process.stdout.write(line(c));
  if (c.state !== 'completed') process.exitCode = 1;
}

export function register(program: Command): void {
  const campaign = program
    .command('campaign')
    .description(
      'Campaigns: one operation over a fleet selection at a controlled pace, through the REST API of a running server',
    )
    .addOption(
      new Option('--api <url>', 'base URL of the API').env('ESIM_API_URL').default('http://127.0.0.1:8080'),
    )
    .addOption(
      new Option('--token <token>', 'API token (operator to change, viewer to read)').env('ESIM_API_TOKEN'),
    );
  const client = () => {
    const o = campaign.opts<Remote>();
    return new ApiClient(o.api, o.token);
  };

  campaign
    .command('create')
    .description(
      'Create a campaign from its JSON definition (name, operation {type, params}, selector, ratePerMinute, maxInFlight, abort); see POST /api/v1/campaigns',
    )
    .argument('<definition>', 'JSON text | @file | -')
    .option('--start', 'start it at once (otherwise it stays a draft)')
    .option('--dry-run', 'only show its targets per stack and the operation of the first ones')
    .option('--watch', 'with --start: follow it with a progress bar until it ends')
    .action(async (input: string, o: { start?: boolean; dryRun?: boolean; watch?: boolean }) => {
      const def = { ...(readDefinition(input) as object), ...(o.start ? { start: true } : {}) };
      if (o.dryRun) {
        const out = await client().call('POST', '/campaigns/dry-run', def);
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
        return;
      }
      const c = await client().call<Campaign>('POST', '/campaigns', def);
      process.stdout.write(line(c));
      if (o.watch && o.start) await watch(client(), c.id, 1000);
    });

  campaign
    .command('list')
    .description('List campaigns, newest first')
    .addOption(new Option('--state <state>', 'only in this state').choices(campaignStates))
    .action(async (o: { state?: string }) => {
      const q = o.state ? `&state=${o.state}` : '';
      for (let offset: number | null = 0; offset !== null;) {
        const page: { items: Campaign[]; nextOffset: number | null } = await client().call(
          'GET',
          `/campaigns?limit=500&offset=${offset}${q}`,
        );
        for (const c of page.items) process.stdout.write(line(c));
        offset = page.nextOffset;
      }
    });

  campaign
    .command('show')
    .description('Show a campaign with its progress (as JSON, or followed with a progress bar)')
    .argument('<id>')
    .option('--watch', 'follow it with a progress bar until it ends; exit code 1 unless it completed')
    .action(async (id: string, o: { watch?: boolean }) => {
      if (o.watch) return watch(client(), id, 1000);
      process.stdout.write(`${JSON.stringify(await client().call('GET', `/campaigns/${id}`), null, 2)}\n`);
    });

  for (const [move, what] of [
    ['start', 'Start a draft campaign'],
    ['pause', 'Pause a running campaign (operations already made run on)'],
    ['resume', 'Resume a paused campaign'],
    ['cancel', 'Cancel a campaign: its pending operations are cancelled, sent ones run on'],
  ] as const)
    campaign
      .command(move)
      .description(what)
      .argument('<id>')
      .action(async (id: string) => {
        process.stdout.write(line(await client().call<Campaign>('POST', `/campaigns/${id}/${move}`)));
      });
}

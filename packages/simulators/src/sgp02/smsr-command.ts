import type { Command } from 'commander';
import { basicAuth, integer, list, peer } from './cli-options.js';
import { startSmsr } from './smsr.js';

export const smsrCommand = {
  register(program: Command): void {
    program
      .command('smsr')
      .description(
        'SGP.02 SM-SR simulator: ES4 (operators), ES3 (SM-DPs), ES7 (SM-SR change) over SOAP 1.2, with a fleet of simulated eUICCs; GET /sim/fleet, POST /sim/faults',
      )
      .option('--host <host>', 'address to listen on', '127.0.0.1')
      .option('--port <port>', 'port (0 = any free port)', integer(0, 65535), 0)
      .option('--count <n>', 'number of simulated eUICCs', integer(0, 100000), 10)
      .option('--seed <n>', 'fleet seed: different seeds give different EIDs', integer(0, 1000000), 1)
      .option('--entity-id <oid>', 'our EntityId (Smsr-id)', '1.3.6.1.4.1.99999.20')
      .option('--operator <oid>', 'allowed function requester EntityId (repeatable)', list)
      .option('--smdp <oid>', 'allowed SM-DP EntityId on ES3 (repeatable; default: any)', list)
      .option('--smdp-id <oid>', "the SM-DP that prepared the fleet's profiles (their Smdp-id)")
      .option('--notify <url>', "where Handle*Notifications go (default: the operator's ReplyTo)")
      .option(
        '--peer <oid=url>',
        'another SM-SR for SM-SR change: its EntityId and ES7 URL (repeatable)',
        peer,
      )
      .option('--latency <ms>', 'SMS/HTTPS latency to the card', integer(0, 60000), 20)
      .option('--basic-auth <user:password>', 'require these HTTP Basic credentials on ES4', basicAuth)
      .action(
        async (o: {
          host: string;
          port: number;
          count: number;
          seed: number;
          entityId: string;
          operator?: string[];
          smdp?: string[];
          smdpId?: string;
          notify?: string;
          peer?: Record<string, string>;
          latency: number;
          basicAuth?: { username: string; password: string };
        }) => {
          const smsr = await startSmsr({
            host: o.host,
            port: o.port,
            count: o.count,
            seed: o.seed,
            entityId: o.entityId,
            operators: o.operator,
            smdps: o.smdp,
            smdpId: o.smdpId,
            notify: o.notify,
            peers: o.peer,
            latencyMs: o.latency,
            basicAuth: o.basicAuth,
          });
          process.stdout.write(
            `SM-SR ${smsr.entityId} ready: ES4 ${smsr.es4} ES3 ${smsr.es3} ES7 ${smsr.es7} fleet ${smsr.url}/sim/fleet (${smsr.fleet.size} eUICCs)\n`,
          );
          const stop = () => void smsr.close().then(() => process.exit(0));
          process.once('SIGTERM', stop);
          process.once('SIGINT', stop);
        },
      );
  },
};

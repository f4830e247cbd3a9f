import type { Command } from 'commander';
import { integer, list } from './cli-options.js';
import { startSmdp } from './smdp.js';

export const smdpCommand = {
  register(program: Command): void {
    program
      .command('smdp')
      .description(
        'SGP.02 SM-DP simulator: ES2 over SOAP 1.2, run over ES3 against the SM-SR (DownloadProfile, profile management relayed); GET /sim/fleet, POST /sim/faults',
      )
      .requiredOption('--smsr <url>', "the SM-SR's ES3 endpoint, e.g. http://127.0.0.1:9000/es3")
      .option('--host <host>', 'address to listen on', '127.0.0.1')
      .option('--port <port>', 'port (0 = any free port)', integer(0, 65535), 0)
      .option('--entity-id <oid>', 'our EntityId (Smdp-id)', '1.3.6.1.4.1.99999.30')
      .option('--operator <oid>', 'allowed function requester EntityId (repeatable)', list)
      .option('--notify <url>', "where Handle*Notifications go (default: the operator's ReplyTo)")
      .option('--latency <ms>', 'preparation latency', integer(0, 60000), 20)
      .action(
        async (o: {
          smsr: string;
          host: string;
          port: number;
          entityId: string;
          operator?: string[];
          notify?: string;
          latency: number;
        }) => {
          const smdp = await startSmdp({
            smsr: o.smsr,
            host: o.host,
            port: o.port,
            entityId: o.entityId,
            operators: o.operator,
            notify: o.notify,
            latencyMs: o.latency,
          });
          process.stdout.write(`SM-DP ${smdp.entityId} ready: ES2 ${smdp.es2} fleet ${smdp.url}/sim/fleet\n`);
          const stop = () => void smdp.close().then(() => process.exit(0));
          process.once('SIGTERM', stop);
          process.once('SIGINT', stop);
        },
      );
  },
};

import type { Command } from 'commander';
import { encode, EimConfigurationData, hex, toJson } from '@esim/asn1';
import { eimConfigurationData, KnexEimStore, loadOrCreateEimCredentials } from '@esim/eim';
import { openConfiguredDatabase } from '../../app.js';
import { loadConfig } from '../../config/load.js';

export function register(program: Command): void {
  const eim = program.command('eim').description('Our SGP.32 eIM');
  eim
    .command('rejections')
    .description(
      'List what the eIM refused from devices (forged, replayed or mismatched results and notifications), newest last, as JSON lines.',
    )
    .option('--eid <eid>', 'only this eUICC')
    .action(async (o: { eid?: string }) => {
      const db = await openConfiguredDatabase(loadConfig());
      try {
        for (const r of await new KnexEimStore(db.knex).listRejections(o.eid)) {
          const { body, ...rest } = r;
          process.stdout.write(`${JSON.stringify({ ...rest, body: body ? hex(body) : null })}\n`);
        }
      } finally {
        await db.close();
      }
    });
  eim
    .command('config')
    .description(
      'Print the EimConfigurationData a device needs to trust this eIM (AddInitialEim for onboarding), as JSON and DER hex. Creates the eIM key in DATA_DIR on first use when EIM_KEY_FILE is unset.',
    )
    .option('--counter <n>', 'counterValue to start the device at', '0')
    .action(async (o: { counter: string }) => {
      const counter = Number(o.counter);
      if (!Number.isSafeInteger(counter) || counter < 0) {
        process.stderr.write(`--counter must be a non-negative integer, not "${o.counter}"\n`);
        process.exit(2);
      }
      const c = loadConfig();
      const credentials = await loadOrCreateEimCredentials({
        keyFile: c.EIM_KEY_FILE,
        certFile: c.EIM_CERT_FILE,
        dataDir: c.DATA_DIR,
        eimId: c.EIM_ID,
      }).catch((e: unknown) => {
        // Unreadable or mismatched key files are the user's to fix: one line, exit code 2.
        process.stderr.write(`eIM key: ${(e as Error).message}\n`);
        process.exit(2);
      });
      const data = eimConfigurationData(
        { eimId: c.EIM_ID, eimFqdn: c.EIM_FQDN, certificate: credentials.certificate },
        counter,
      );
      const out = {
        eimConfigurationData: toJson(EimConfigurationData, data),
        der: hex(encode(EimConfigurationData, data)),
      };
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    });
}

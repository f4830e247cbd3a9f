/** `esimctl sim smdpp`: the SM-DP+ simulator, ES9+ over HTTP (SGP.22 ASN.1 binding). */
import type { Command } from 'commander';
import type { SimCommand } from '../commands.js';
import { integer } from '../sgp02/cli-options.js';
import { loadOrCreateSmdpPki, PkiFolderError } from './pki/fleet-pki.js';
import { defaultProfilesDir, loadProfilesDir, ProfilePackageError } from './smdpplus/profile-store.js';
import { ES9PLUS_ASN1_PATH, startSmdpServer } from './smdpplus/smdp-server.js';

interface SmdppCommandOptions {
  host: string;
  port: number;
  address?: string;
  profiles: string;
  pkiDir?: string;
  uniqueIccids?: boolean;
  log?: boolean;
}

export const smdppCommand: SimCommand = {
  register(program: Command): void {
    program
      .command('smdpp')
      .description(
        'SGP.22 SM-DP+ simulator: ES9+ (ASN.1 binding) serving TS.48 test profiles by matching ID, bound to each eUICC',
      )
      .option('--host <host>', 'address to listen on', '127.0.0.1')
      .option('--port <port>', 'port (0 = any free port)', integer(0, 65535), 0)
      .option('--address <fqdn[:port]>', 'SM-DP+ address of the activation codes (default <host>:<port>)')
      .option(
        '--profiles <dir>',
        'folder of unprotected profile packages (*.der); matching ID = file name',
        defaultProfilesDir(),
      )
      .option(
        '--pki-dir <dir>',
        "the IPA simulator's generated PKI folder: DPauth/DPpb are issued by its CI (default: SGP.26 test certificates)",
      )
      .option(
        '--unique-iccids',
        'each eUICC gets its own ICCID for a matching ID (derived from its EID, written into the package)',
      )
      .option('--log', 'log each request')
      .action(async (o: SmdppCommandOptions, command: Command) => {
        try {
          const server = await startSmdpServer({
            host: o.host,
            port: o.port,
            ...(o.address ? { address: o.address } : {}),
            profiles: loadProfilesDir(o.profiles),
            ...(o.pkiDir ? { credentials: await loadOrCreateSmdpPki(o.pkiDir) } : {}),
            ...(o.uniqueIccids ? { uniqueIccids: true } : {}),
            ...(o.log ? { log: true } : {}),
          });
          const { smdp } = server;
          const codes = smdp
            .listProfiles()
            .map((p) => `  ${smdp.activationCode(p.matchingId)}  ICCID ${p.iccid}\n`);
          process.stdout.write(
            `esimctl sim smdpp: ready, ES9+ ${server.url}${ES9PLUS_ASN1_PATH}, address ${smdp.address}; admin ${server.url}/sim/smdpp\n${codes.join('')}`,
          );
          const stop = () => void server.close().then(() => process.exit(0));
          process.once('SIGTERM', stop);
          process.once('SIGINT', stop);
        } catch (e) {
          const err = e as NodeJS.ErrnoException;
          if (
            err instanceof ProfilePackageError ||
            err instanceof PkiFolderError ||
            err.code === 'ENOENT' ||
            err.code === 'EADDRINUSE'
          )
            command.error(`esimctl sim smdpp: ${err.message}`, { exitCode: 2 });
          throw e;
        }
      });
  },
};

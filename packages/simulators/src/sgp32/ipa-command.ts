/** `esimctl sim ipa`: a fleet of IPA devices with simulated eUICCs polling an eIM over ESipa (HTTP, CoAP or MQTT). */
import { createPublicKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { Asn1Error, EimConfigurationData, fromJson } from '@esim/asn1';
import type { SimCommand } from '../commands.js';
import { adminServer } from './ipa/admin-routes.js';
import { Fleet, type EsipaTransport } from './ipa/fleet.js';
import { StateFileError } from './euicc/state-file.js';
import { PkiFolderError } from './pki/fleet-pki.js';

interface IpaCommandOptions {
  eim: string;
  count: number;
  interval: number;
  jitter: number;
  pkiDir?: string;
  stateDir?: string;
  bundleNotifications?: boolean;
  binding: string;
  transport?: EsipaTransport;
  mqttVersion: string;
  download: string;
  smdpScheme: string;
  adminPort: number;
  adminHost: string;
  concurrency: number;
  eimId?: string;
  eimPublicKey?: string;
  eimConfig?: string;
  eimCa?: string;
  offline?: boolean;
  dropResponses: number;
  latency: number;
  forgeSignatures: number;
  switchFails: number;
  rebootEvery?: number;
}

const integer = (min: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer >= ${min}`);
  return n;
};

/** The eIM's key as SubjectPublicKeyInfo DER, from a certificate or public key in PEM or DER. */
function readEimPublicKey(path: string): Uint8Array {
  const bytes = readFileSync(path);
  const pemText = bytes.toString('latin1');
  const parsers = pemText.includes('-----BEGIN')
    ? [() => createPublicKey(pemText)]
    : [
        () => new X509Certificate(bytes).publicKey,
        () => createPublicKey({ key: bytes, format: 'der', type: 'spki' }),
      ];
  for (const parse of parsers) {
    try {
      return new Uint8Array(parse().export({ format: 'der', type: 'spki' }));
    } catch {
      // the next form, if any
    }
  }
  throw new InvalidArgumentError(`${path}: neither a certificate nor a public key (PEM or DER)`);
}

/** EimConfigurationData JSON (`toJson` form), bare or as `esimctl eim config` prints it. */
function readEimConfiguration(path: string): EimConfigurationData {
  const json = JSON.parse(readFileSync(path, 'utf8')) as { eimConfigurationData?: unknown };
  return fromJson(EimConfigurationData, json.eimConfigurationData ?? json);
}

/** The transport the --eim URL's scheme names. */
function transportOf(url: string): EsipaTransport {
  const scheme = new URL(url).protocol;
  if (scheme === 'coap:') return 'coap';
  if (/^(mqtts?|wss?|tcp):$/.test(scheme)) return 'mqtt';
  return 'http';
}

/** How each transport is named in EimConfigurationData (MQTT is no SGP.32 protocol: proprietary). */
const supportedProtocol = {
  http: 'eimRetrieveHttps',
  coap: 'eimRetrieveCoaps',
  mqtt: 'eimProprietary',
} as const;

function initialEims(o: IpaCommandOptions, transport: EsipaTransport): EimConfigurationData[] {
  if (o.eimConfig) {
    if (o.eimId || o.eimPublicKey)
      throw new InvalidArgumentError('--eim-config replaces --eim-id/--eim-public-key');
    return [readEimConfiguration(o.eimConfig)];
  }
  if (!o.eimId && !o.eimPublicKey) return [];
  if (!o.eimId || !o.eimPublicKey)
    throw new InvalidArgumentError('--eim-id and --eim-public-key go together');
  return [
    {
      eimId: o.eimId,
      eimFqdn: new URL(o.eim).host,
      counterValue: 0,
      associationToken: 0,
      eimPublicKeyData: { eimPublicKey: readEimPublicKey(o.eimPublicKey) },
      eimSupportedProtocol: [supportedProtocol[transport]],
    },
  ];
}

async function run(o: IpaCommandOptions): Promise<void> {
  const transport = transportOf(o.eim);
  if (o.transport && o.transport !== transport)
    throw new InvalidArgumentError(`--transport ${o.transport} needs a matching --eim URL, not ${o.eim}`);
  if (o.binding !== 'asn1' && transport !== 'http')
    throw new InvalidArgumentError('--binding is an HTTP choice: CoAP and MQTT carry DER');
  const fleet = await Fleet.create({
    eimUrl: o.eim,
    transport,
    mqttVersion: o.mqttVersion === '3.1.1' ? 4 : 5,
    count: o.count,
    intervalMs: o.interval,
    jitterMs: o.jitter,
    ...(o.pkiDir ? { pkiDir: o.pkiDir } : {}),
    ...(o.stateDir ? { stateDir: o.stateDir } : {}),
    ...(o.bundleNotifications ? { bundleNotifications: true } : {}),
    binding: o.binding as 'asn1' | 'json',
    download: o.download as 'direct' | 'indirect',
    smdpScheme: o.smdpScheme as 'http' | 'https',
    concurrency: o.concurrency,
    ...(o.eimCa ? { eimCa: readFileSync(o.eimCa, 'utf8') } : {}),
    eims: initialEims(o, transport),
    faults: {
      offline: o.offline ?? false,
      dropResponses: o.dropResponses,
      latencyMs: o.latency,
      forgeSignatures: o.forgeSignatures,
      switchFails: o.switchFails,
    },
  });
  const admin = await adminServer(fleet);
  const adminUrl = await admin.listen({ port: o.adminPort, host: o.adminHost }).catch(async (e: unknown) => {
    await fleet.stop();
    throw e;
  });
  fleet.start(o.interval);
  if (o.rebootEvery) fleet.rebootEvery(o.rebootEvery);
  process.stdout.write(
    `esimctl sim ipa: ready, ${o.count} device(s) polling ${o.eim}; admin ${adminUrl} (GET /sim/fleet)\n` +
      `first EID ${fleet.devices[0]!.eid}\n`,
  );
  const stop = async () => {
    await fleet.stop();
    await admin.close();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop());
}

export const ipaCommand: SimCommand = {
  register(program: Command) {
    program
      .command('ipa')
      .description(
        'IPA devices with simulated SGP.32 eUICCs, polling an eIM over ESipa (HTTP ASN.1 or JSON binding, CoAP, MQTT)',
      )
      .requiredOption(
        '--eim <url>',
        'eIM URL: http(s)://host (<url>/gsma/rsp2/asn1, or <url>/gsma/rsp2/esipa/... with --binding json), coap://host:port, or mqtt://broker:port/<topic prefix, default esipa/v1>',
      )
      .addOption(
        new Option(
          '--transport <transport>',
          'ESipa transport (default: as the --eim URL scheme says)',
        ).choices(['http', 'coap', 'mqtt']),
      )
      .addOption(
        new Option('--mqtt-version <version>', 'MQTT protocol of the mqtt transport')
          .choices(['5', '3.1.1'])
          .default('5'),
      )
      .option('--count <n>', 'number of devices', integer(1), 1)
      .option('--interval <ms>', 'poll interval', integer(1), 10_000)
      .option('--jitter <ms>', 'random delay added to each interval', integer(0), 1_000)
      .option('--pki-dir <dir>', 'folder of the generated CI/EUM/eUICC chain (needed for --count > 1)')
      .option('--state-dir <dir>', "keep each card's state (profiles, eIMs, counters) here across restarts")
      .addOption(
        new Option('--binding <binding>', 'ESipa HTTP binding').choices(['asn1', 'json']).default('asn1'),
      )
      .addOption(
        new Option('--download <mode>', 'profile downloads: through the eIM, or directly with the SM-DP+')
          .choices(['indirect', 'direct'])
          .default('indirect'),
      )
      .addOption(
        new Option('--smdp-scheme <scheme>', 'scheme of direct ES9+ calls to the SM-DP+')
          .choices(['https', 'http'])
          .default('https'),
      )
      .option('--bundle-notifications', 'send notifications with package results (ePRAndNotifications)')
      .option('--admin-port <port>', 'admin HTTP port (0: any free port)', integer(0), 0)
      .option('--admin-host <host>', 'admin HTTP address', '127.0.0.1')
      .option('--concurrency <n>', 'ESipa exchanges in flight at once, fleet-wide', integer(1), 16)
      .option('--eim-id <id>', 'onboard every device with this eIM (AddInitialEim)')
      .option('--eim-public-key <file>', "the eIM's signing certificate or public key (PEM or DER)")
      .option(
        '--eim-config <file>',
        'onboard with this EimConfigurationData (JSON, as `esimctl eim config` prints it)',
      )
      .option('--eim-ca <file>', "PEM CA certificate(s) the eIM's TLS certificate chains to (https URLs)")
      .option('--offline', 'start offline (fault)')
      .option('--drop-responses <n>', 'drop the next n responses (fault)', integer(0), 0)
      .option('--latency <ms>', 'added latency each way (fault)', integer(0), 0)
      .option(
        '--forge-signatures <n>',
        'corrupt the signature of the next n results/notifications (fault)',
        integer(0),
        0,
      )
      .option('--switch-fails <n>', 'the next n profile switches get no connectivity (fault)', integer(0), 0)
      .option(
        '--reboot-every <ms>',
        'reboot each device once per period, one after another (fault)',
        integer(1),
      )
      .action(async (o: IpaCommandOptions, command: Command) => {
        try {
          if (o.count > 1 && !o.pkiDir) throw new InvalidArgumentError('--count > 1 needs --pki-dir');
          await run(o);
        } catch (e) {
          // Bad input: one line and exit code 2, no stack trace.
          const err = e as NodeJS.ErrnoException;
          if (
            err instanceof InvalidArgumentError ||
            err instanceof Asn1Error ||
            err instanceof SyntaxError ||
            err instanceof RangeError ||
            err instanceof StateFileError ||
            err instanceof PkiFolderError ||
            err.code === 'ENOENT' ||
            err.code === 'EADDRINUSE' ||
            err instanceof TypeError
          ) {
            command.error(`esimctl sim ipa: ${err.message}`, { exitCode: 2 });
          }
          throw e;
        }
      });
  },
};

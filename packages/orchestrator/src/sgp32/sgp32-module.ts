import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Eim,
  EsipaHandler,
  esipaHttpPlugin,
  Es9PlusRelay,
  EuiccChainVerifier,
  HttpEs9PlusClient,
  KnexEimStore,
  loadOrCreateEimCredentials,
  startEsipaCoap,
} from '@esim/eim';
import { ConfigError } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { AppModule } from '../modules/app-module.js';
import { startEsipaListener } from './esipa-listener.js';
import { startEsipaMqtt } from './esipa-mqtt-listener.js';
import { Sgp32StackAdapter } from './sgp32-adapter.js';
import { readProfilesAgain, Sgp32Listener } from './sgp32-listener.js';

/** How often packages that outlived their validity on devices that stopped polling are expired. */
const EXPIRY_SWEEP_MS = 30_000;

/** The SGP.26 test CI, read in place next to the repository (../shared/vectors). */
const sgp26Ci = fileURLToPath(
  new URL('../../../../../shared/vectors/sgp26/CertificateIssuer/CERT_CI_ECDSA_NIST.der', import.meta.url),
);

/** Where the IPA simulator keeps the CI of the fleets it generates. */
export const simulatorCiFile = (dataDir: string) => join(dataDir, 'simulators', 'pki', 'ci.pem');

function verifierOf(c: Config): EuiccChainVerifier {
  if (c.EIM_TRUSTED_CI_FILES)
    return EuiccChainVerifier.fromFiles(
      c.EIM_TRUSTED_CI_FILES.split(',')
        .map((f) => f.trim())
        .filter(Boolean),
    );
  // Both defaults may appear later (a simulator generates its CI on first start).
  return EuiccChainVerifier.fromFiles([], [sgp26Ci, simulatorCiFile(c.DATA_DIR)]);
}

/**
 * The SGP.32 stack: our eIM (engine, store, signing key), ESipa over HTTP on the API port or
 * its own (TLS) port, over CoAP and over MQTT when configured, with the ES9+' relay for indirect
 * downloads, and the stack adapter the
 * operation queue dispatches to.
 */
export const sgp32Module: AppModule = {
  name: 'sgp32',
  async start(ctx) {
    const c = ctx.config;
    const credentials = await loadOrCreateEimCredentials({
      keyFile: c.EIM_KEY_FILE,
      certFile: c.EIM_CERT_FILE,
      dataDir: c.DATA_DIR,
      eimId: c.EIM_ID,
    });
    let mqtt: Awaited<ReturnType<typeof startEsipaMqtt>> | undefined;
    const eim: Eim = new Eim({
      eimId: c.EIM_ID,
      eimFqdn: c.EIM_FQDN,
      store: new KnexEimStore(ctx.db.knex),
      credentials,
      verifier: verifierOf(c),
      listener: new Sgp32Listener(ctx.outcomes, ctx.observations, ctx.logger, (eid) =>
        readProfilesAgain(eim, eid),
      ),
      // A device on MQTT polls at once instead of at its next interval.
      onQueued: (eid) =>
        void mqtt?.endpoint
          .wake(eid)
          .catch((err: unknown) => ctx.logger.warn({ err, eid }, 'ESipa over MQTT: wake-up not sent')),
    });
    // Indirect profile downloads: the IPA's ES9+ calls relayed to the SM-DP+ of the trigger.
    const es9 = new HttpEs9PlusClient({ scheme: c.ES9PLUS_SCHEME, timeoutMs: c.ES9PLUS_TIMEOUT_MS });
    const handler = new EsipaHandler(eim, new Es9PlusRelay(eim, es9, c.DEFAULT_SMDP_ADDRESS));
    let separate: Awaited<ReturnType<typeof startEsipaListener>> | undefined;
    if (!c.ESIPA_TLS_CERT_FILE !== !c.ESIPA_TLS_KEY_FILE)
      throw new ConfigError([
        { key: 'ESIPA_TLS_KEY_FILE', problem: 'and ESIPA_TLS_CERT_FILE must be set together' },
      ]);
    if (c.ESIPA_TLS_CERT_FILE && c.ESIPA_PORT === undefined)
      throw new Error(
        'configuration: ESIPA_TLS_CERT_FILE needs ESIPA_PORT (TLS is served on the separate ESipa port)',
      );
    if (c.ESIPA_PORT === undefined) {
      await ctx.server.register(esipaHttpPlugin, { handler, logLevel: c.ESIPA_LOG_LEVEL });
    } else {
      separate = await startEsipaListener(handler, {
        host: c.HOST,
        port: c.ESIPA_PORT,
        logger: ctx.logger,
        logLevel: c.ESIPA_LOG_LEVEL,
        ...(c.ESIPA_TLS_CERT_FILE
          ? { tls: { certFile: c.ESIPA_TLS_CERT_FILE, keyFile: c.ESIPA_TLS_KEY_FILE! } }
          : {}),
      });
    }
    const coap =
      c.ESIPA_COAP_PORT === undefined
        ? undefined
        : await startEsipaCoap({
            handler,
            host: c.HOST,
            port: c.ESIPA_COAP_PORT,
            onError: (err) => ctx.logger.error({ err }, 'ESipa over CoAP: request failed'),
          });
    if (c.ESIPA_MQTT)
      mqtt = await startEsipaMqtt(handler, {
        broker: ctx.broker,
        prefix: c.ESIPA_MQTT_TOPIC,
        logger: ctx.logger,
      }).catch(async (e: unknown) => {
        await coap?.close();
        throw e;
      });
    const sweep = setInterval(() => {
      eim.expireDue().catch((err: unknown) => ctx.logger.error({ err }, 'eIM expiry sweep failed'));
    }, EXPIRY_SWEEP_MS);
    sweep.unref();
    return {
      adapter: new Sgp32StackAdapter(eim, ctx.db.knex),
      urls: {
        ...(coap ? { esipaCoap: coap.url } : {}),
        ...(mqtt ? { esipaMqtt: mqtt.url } : {}),
      },
      async listening(apiUrl) {
        ctx.logger.info(
          {
            esipa: `${separate?.url ?? apiUrl}/gsma/rsp2/asn1`,
            ...(coap ? { esipaCoap: coap.url } : {}),
            ...(mqtt ? { esipaMqtt: mqtt.url } : {}),
            eimId: eim.eimId,
          },
          'eIM serving ESipa',
        );
      },
      async close() {
        clearInterval(sweep);
        await mqtt?.close();
        await coap?.close();
        await separate?.server.close();
      },
    };
  },
};

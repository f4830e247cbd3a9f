import { InvalidArgumentError, type Command } from 'commander';
import closeWithGrace from 'close-with-grace';
import { loadConfig } from '../../config/load.js';
import { startApp } from '../../app.js';
import { startSimulatedPeers } from '../../demo/simulated-peers.js';
import { appModules } from '../../modules/index.js';
import { loadExtraModules } from '../../modules/extra-modules.js';

export function register(program: Command): void {
  program
    .command('serve')
    .description(
      'Start the orchestrator: REST API, event intake, both stacks. Without DATABASE_URL / MQTT_URL it runs on the embedded database (PGlite in DATA_DIR) and an in-process MQTT broker.',
    )
    .option(
      '--with-simulators [devices]',
      'also start simulated peers (SM-SR with SGP.02 eUICCs, SM-DP, IPA devices with SGP.32 eUICCs polling this eIM) and register their fleet in the inventory; [devices] per stack, default 5',
      (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1 || n > 10_000)
          throw new InvalidArgumentError('the number of devices per stack is an integer from 1 to 10000');
        return n;
      },
    )
    .action(async (o: { withSimulators?: number | true }) => {
      // The simulated SM-DP+ speaks plain HTTP; a real one is reached over HTTPS.
      const config = loadConfig(o.withSimulators ? { ES9PLUS_SCHEME: 'http', ...process.env } : process.env);
      const app = await startApp(config, undefined, [...(await loadExtraModules(config)), ...appModules]);
      const peers = o.withSimulators
        ? await startSimulatedPeers(app, o.withSimulators === true ? 5 : o.withSimulators).catch(
            async (e: unknown) => {
              await app.close();
              throw e;
            },
          )
        : undefined;
      app.logger.info(app.urls, 'esimctl serve: ready');
      process.stdout.write(
        [
          `API       ${app.urls.api}  (health: ${app.urls.api}/healthz, readiness: ${app.urls.api}/readyz, OpenAPI: ${app.urls.api}/api/v1/docs)`,
          // With the demo's token in the fragment, which the browser keeps to itself: one click to a signed-in dashboard.
          `Dashboard ${app.urls.api}/ui/${peers ? `#token=${peers.adminToken}` : ''}`,
          `ESipa     ${app.urls.api}/gsma/rsp2/asn1`,
          ...(app.urls.esipaCoap ? [`ESipa     ${app.urls.esipaCoap}  (CoAP)`] : []),
          ...(app.urls.esipaMqtt ? [`ESipa     ${app.urls.esipaMqtt}/<EID>/up  (MQTT)`] : []),
          `MQTT      ${app.urls.mqtt}`,
          `Database  ${app.urls.database}`,
          ...(peers
            ? [
                `SM-SR     ${peers.urls.smsr}  (${peers.devices.sgp02} simulated SGP.02 eUICCs; GET /sim/fleet)`,
                `SM-DP     ${peers.urls.smdp}`,
                `IPAs      ${peers.urls.ipaAdmin}  (${peers.devices.sgp32} simulated SGP.32 devices; GET /sim/fleet)`,
                `SM-DP+    ${peers.urls.smdpPlus}  (activation code for a download: ${peers.activationCode})`,
                `Token     ${peers.adminToken}  (admin, for this demo: Authorization: Bearer <token>)`,
              ]
            : []),
          '',
        ].join('\n'),
      );
      closeWithGrace({ delay: 10_000 }, async ({ err, signal }) => {
        if (err) app.logger.error({ err }, 'stopping after an error');
        else app.logger.info({ signal }, 'stopping');
        await peers?.close();
        await app.close();
      });
    });
}

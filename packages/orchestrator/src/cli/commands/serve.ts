import type { Command } from 'commander';
import closeWithGrace from 'close-with-grace';
import { loadConfig } from '../../config/load.js';
import { startApp } from '../../app.js';
import { appModules } from '../../modules/index.js';
import { loadExtraModules } from '../../modules/extra-modules.js';

export function register(program: Command): void {
  program
    .command('serve')
    .description(
      'Start the orchestrator: REST API, event intake, both stacks. Without DATABASE_URL / MQTT_URL it runs on the embedded database (PGlite in DATA_DIR) and an in-process MQTT broker.',
    )
    .action(async () => {
      const config = loadConfig();
      const app = await startApp(config, undefined, [...(await loadExtraModules(config)), ...appModules]);
      app.logger.info(app.urls, 'esimctl serve: ready');
      process.stdout.write(
        [
          `API       ${app.urls.api}  (health: ${app.urls.api}/healthz, readiness: ${app.urls.api}/readyz)`,
          `MQTT      ${app.urls.mqtt}`,
          `Database  ${app.urls.database}`,
          '',
        ].join('\n'),
      );
      closeWithGrace({ delay: 10_000 }, async ({ err, signal }) => {
        if (err) app.logger.error({ err }, 'stopping after an error');
        else app.logger.info({ signal }, 'stopping');
        await app.close();
      });
    });
}

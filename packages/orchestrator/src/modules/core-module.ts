import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { CampaignRunner } from '../campaigns/campaign-runner.js';
import type { Config } from '../config/schema.js';
import { dashboardPlugin } from '../dashboard/dashboard-plugin.js';
import { MqttEventIntake } from '../events/mqtt-intake.js';
import { registerApi } from '../http/api.js';
import { OperationWorker } from '../operations/worker.js';
import { WebhookDeliverer } from '../webhooks/webhook-deliverer.js';
import type { AppModule } from './app-module.js';
import { buildCoreServices } from './core-services.js';

/** One id per instance (host + database + port), the same after a restart so the broker session survives. */
function intakeClientId(config: Config): string {
  if (config.EVENTS_MQTT_CLIENT_ID) return config.EVENTS_MQTT_CLIENT_ID;
  const where = `${hostname()}|${config.DATABASE_URL ?? resolve(config.DATA_DIR)}|${config.PORT}`;
  return `esim-events-${createHash('sha256').update(where).digest('hex').slice(0, 16)}`;
}

/**
 * The orchestration core: REST API, event intake (REST and MQTT), rules, the operation worker,
 * the campaign runner, webhook deliveries, the dashboard.
 * Started after the stacks; the worker reads their adapters at every round.
 */
export const coreModule: AppModule = {
  name: 'core',
  async start(ctx) {
    const services = buildCoreServices(ctx.db.knex, ctx.config, ctx.adapters, ctx.operations);
    await registerApi(ctx.server, services);
    await ctx.server.register(dashboardPlugin);
    const worker = new OperationWorker({
      knex: ctx.db.knex,
      store: ctx.operations,
      adapters: ctx.adapters,
      logger: ctx.logger.child({ part: 'operation-worker' }),
      pollMs: ctx.config.OPERATION_POLL_MS,
      leaseSeconds: ctx.config.OPERATION_LEASE_SECONDS,
      retryBaseMs: ctx.config.OPERATION_RETRY_BASE_MS,
      retryMaxMs: ctx.config.OPERATION_RETRY_MAX_MS,
    });
    const unsubscribe = services.operations.onCreated(() => worker.wake());
    const campaignRunner = new CampaignRunner({
      knex: ctx.db.knex,
      campaigns: services.campaigns,
      operations: services.operations,
      logger: ctx.logger.child({ part: 'campaign-runner' }),
      pollMs: ctx.config.CAMPAIGN_POLL_MS,
    });
    const unsubscribeCampaigns = services.campaigns.onStarted(() => campaignRunner.wake());
    const mqttIntake = new MqttEventIntake({
      url: ctx.broker.url,
      prefix: ctx.config.EVENTS_MQTT_TOPIC,
      clientId: intakeClientId(ctx.config),
      intake: services.intake,
      logger: ctx.logger.child({ part: 'mqtt-intake' }),
    });
    await mqttIntake.start();
    const webhooks = new WebhookDeliverer({
      knex: ctx.db.knex,
      logger: ctx.logger.child({ part: 'webhooks' }),
      pollMs: ctx.config.WEBHOOK_POLL_MS,
      retryBaseMs: ctx.config.WEBHOOK_RETRY_BASE_MS,
      maxAttempts: ctx.config.WEBHOOK_MAX_ATTEMPTS,
      timeoutMs: ctx.config.WEBHOOK_TIMEOUT_MS,
    });
    return {
      async listening() {
        worker.start();
        campaignRunner.start();
        webhooks.start();
      },
      async close() {
        unsubscribe();
        unsubscribeCampaigns();
        await mqttIntake.close();
        await campaignRunner.stop();
        await worker.stop();
        await webhooks.stop();
      },
    };
  },
};

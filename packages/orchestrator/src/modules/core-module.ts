import { registerApi } from '../http/api.js';
import { OperationWorker } from '../operations/worker.js';
import type { AppModule } from './app-module.js';
import { buildCoreServices } from './core-services.js';

/**
 * The orchestration core: REST API, event intake, rules, the operation worker and webhook
 * deliveries. Started after the stacks; the worker reads their adapters at every round.
 */
export const coreModule: AppModule = {
  name: 'core',
  async start(ctx) {
    const services = buildCoreServices(ctx.db.knex, ctx.config, ctx.adapters, ctx.operations);
    await registerApi(ctx.server, services);
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
    return {
      async listening() {
        worker.start();
      },
      async close() {
        unsubscribe();
        await worker.stop();
      },
    };
  },
};

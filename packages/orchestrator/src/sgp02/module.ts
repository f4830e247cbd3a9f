import type { AppModule } from '../modules/app-module.js';
import { Sgp02StackAdapter } from './adapter.js';
import { Sgp02CallbackHandler } from './callback-handler.js';
import { KnexSgp02Store } from './knex-sgp02-store.js';
import { Sgp02Recovery } from './recovery.js';
import { sgp02Plugin } from './plugin.js';
import { createSgp02Stack } from './stack.js';

/**
 * The SGP.02 stack: ES2/ES4 clients behind the 'sgp02' StackAdapter, and the SOAP endpoints the
 * SM-SRs and SM-DPs call back. Peers reach us at PUBLIC_URL, or at the API's own URL.
 */
export const sgp02Module: AppModule = {
  name: 'sgp02',
  async start(ctx) {
    const requester = {
      entityId: ctx.config.SGP02_ENTITY_ID,
      publicUrl: ctx.config.PUBLIC_URL ?? 'http://127.0.0.1/',
    };
    const stack = createSgp02Stack({
      knex: ctx.db.knex,
      logger: ctx.logger,
      requester,
      store: new KnexSgp02Store(ctx.db.knex),
      operations: ctx.operations,
      outcomes: ctx.outcomes,
      observations: ctx.observations,
    });
    await ctx.server.register(sgp02Plugin, { handler: new Sgp02CallbackHandler(stack) });
    const recovery = new Sgp02Recovery(stack);
    const after = ctx.config.SGP02_RECOVERY_AFTER_SECONDS;
    let timer: NodeJS.Timeout | undefined;
    let sweeping: Promise<unknown> = Promise.resolve();
    return {
      adapter: new Sgp02StackAdapter(stack),
      async listening(apiUrl) {
        if (!ctx.config.PUBLIC_URL) requester.publicUrl = apiUrl;
        ctx.logger.info({ es4: `${requester.publicUrl.replace(/\/$/, '')}/sgp02/es4` }, 'SGP.02 callbacks');
        // Checked twice per period, so a lost answer is looked at between 1 and 1.5 periods after.
        timer = setInterval(
          () => {
            sweeping = recovery
              .sweep(after)
              .catch((err: unknown) => ctx.logger.warn({ err }, 'SGP.02 recovery sweep failed'));
          },
          Math.max(500, after * 500),
        );
        timer.unref();
      },
      async close() {
        clearInterval(timer);
        await sweeping;
      },
    };
  },
};

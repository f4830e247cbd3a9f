import type { AppModule, DispatchOutcome } from '@esim/orchestrator';

type Stack = 'sgp02' | 'sgp32';

/**
 * A stack adapter whose peer lives outside the server process (loaded with EXTRA_MODULES, peer at
 * PEER_URL): dispatch is an HTTP call to the peer, and the peer reports the outcome back on
 * `POST /test-peer/<stack>/outcome`, with what it changed on the card, the way an SM-SR sends
 * Handle*Notification or an IPA a HandleNotification. Killing the server cannot erase what the
 * peer executed: tests count it there.
 */
export function httpPeerModule(stack: Stack): AppModule {
  return {
    name: `http-peer-${stack}`,
    async start(ctx) {
      const peer = process.env.PEER_URL;
      if (!peer) throw new Error('http-peer module: PEER_URL is not set');
      ctx.server.post(`/test-peer/${stack}/outcome`, async (request, reply) => {
        const b = request.body as {
          correlationId: string;
          outcome: 'succeeded' | 'failed';
          observed?: { eid: string; iccid: string; state: 'enabled' | 'disabled' };
        };
        const actor = `platform:http-peer-${stack}`;
        const r = await ctx.db.knex.transaction(async (trx) => {
          const reported = await ctx.outcomes.report(
            {
              stack,
              correlationId: b.correlationId,
              outcome: b.outcome,
              result: { reportedBy: actor },
              actor,
            },
            trx,
          );
          if (reported === 'applied' && b.observed)
            await ctx.observations.profileStateChanged(
              { ...b.observed, actor, reason: { correlationId: b.correlationId } },
              trx,
            );
          return reported;
        });
        // Not known as sent yet (the worker has not recorded the answer): the peer tries again.
        return reply.status(r === 'unknown' ? 404 : 200).send({ result: r });
      });
      return {
        adapter: {
          stack,
          supports: () => ({ supported: true }),
          async dispatch(request): Promise<DispatchOutcome> {
            const res = await fetch(`${peer}/dispatch`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ ...request, stack }),
            });
            if (!res.ok)
              return {
                status: 'failed',
                retryable: true,
                error: { code: 'peer', message: `HTTP ${res.status}` },
              };
            return {
              status: 'sent',
              correlationId: ((await res.json()) as { correlationId: string }).correlationId,
            };
          },
        },
        async listening(apiUrl) {
          await fetch(`${peer}/hello`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ apiUrl }),
          });
        },
      };
    },
  };
}

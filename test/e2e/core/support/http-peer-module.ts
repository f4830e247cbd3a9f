import type { AppModule, DispatchOutcome } from '@esim/orchestrator';

/**
 * A stack adapter whose peer lives outside the server process (loaded with EXTRA_MODULES and
 * PEER_URL): dispatch is an HTTP call to the peer, and the peer reports outcomes back on
 * `POST /test-peer/outcome`, the way an SM-SR sends Handle*Notification. Killing the server
 * therefore cannot erase what the peer executed: the test counts it there.
 */
export const module: AppModule = {
  name: 'http-peer',
  async start(ctx) {
    const peer = process.env.PEER_URL;
    if (!peer) throw new Error('http-peer module: PEER_URL is not set');
    ctx.server.post('/test-peer/outcome', async (request, reply) => {
      const b = request.body as { correlationId: string; outcome: 'succeeded' | 'failed' };
      const r = await ctx.outcomes.report({
        stack: 'sgp02',
        correlationId: b.correlationId,
        outcome: b.outcome,
        result: { reportedBy: 'http-peer' },
        actor: 'platform:http-peer',
      });
      // Not known as sent yet (the worker has not recorded the answer): the peer tries again.
      return reply.status(r === 'unknown' ? 404 : 200).send({ result: r });
    });
    return {
      adapter: {
        stack: 'sgp02',
        supports: () => ({ supported: true }),
        async dispatch(request): Promise<DispatchOutcome> {
          const res = await fetch(`${peer}/dispatch`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(request),
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

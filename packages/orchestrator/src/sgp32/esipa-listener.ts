import { readFileSync } from 'node:fs';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type LogLevel } from 'fastify';
import { esipaHttpPlugin, type EsipaHandler } from '@esim/eim';
import type { Logger } from 'pino';

export interface EsipaListenerOptions {
  host: string;
  port: number;
  /** PEM files; both set: HTTPS. */
  tls?: { certFile: string; keyFile: string };
  logger: Logger;
  /** Of the request logs (see ESIPA_LOG_LEVEL). */
  logLevel?: LogLevel;
}

/** ESipa on its own port (and, when configured, over TLS), apart from the product's API. */
export async function startEsipaListener(
  handler: EsipaHandler,
  o: EsipaListenerOptions,
): Promise<{ url: string; server: FastifyInstance }> {
  const server = Fastify({
    loggerInstance: o.logger as FastifyBaseLogger,
    ...(o.tls ? { https: { cert: readFileSync(o.tls.certFile), key: readFileSync(o.tls.keyFile) } } : {}),
  });
  await server.register(esipaHttpPlugin, { handler, logLevel: o.logLevel });
  const url = await server.listen({ host: o.host, port: o.port });
  return { url, server };
}

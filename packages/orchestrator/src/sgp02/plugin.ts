import type { FastifyInstance, FastifyReply } from 'fastify';
import { AppError } from '../errors.js';
import { fromDatabaseError } from '../db/errors.js';
import type { Sgp02CallbackHandler } from './callback-handler.js';
import { encodeFault } from './soap/envelope.js';
import { SOAP_CONTENT_TYPE } from './soap/namespaces.js';

export interface Sgp02PluginOptions {
  handler: Sgp02CallbackHandler;
}

/**
 * The SOAP endpoints SM-SRs and SM-DPs call back: `/sgp02/es4` and `/sgp02/es2` (the ReplyTo of
 * our requests). Both hand the envelope to one handler, which dispatches on the Body element.
 * Accepted messages get 202 with no body, as the asynchronous pattern acknowledges a callback;
 * a refused one gets a SOAP 1.2 Fault with the HTTP status of its error.
 */
export async function sgp02Plugin(app: FastifyInstance, opts: Sgp02PluginOptions): Promise<void> {
  for (const type of [SOAP_CONTENT_TYPE, 'text/xml', 'application/xml'])
    app.addContentTypeParser(type, { parseAs: 'string' }, (_req, body, done) => done(null, body));

  const fault = (reply: FastifyReply, status: number, code: string, subcode: string, reason: string) =>
    reply
      .status(status)
      .type(`${SOAP_CONTENT_TYPE}; charset=utf-8`)
      .send(encodeFault({}, { code, subcode, reason }));

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, _request, reply) => {
    // A value the database refuses (an ICCID of the wrong form) is the sender's error too.
    const known = err instanceof AppError ? err : fromDatabaseError(err);
    if (known)
      return fault(
        reply,
        known.statusCode,
        known.statusCode >= 500 ? 'Receiver' : 'Sender',
        known.code,
        known.message,
      );
    const status = err.statusCode;
    if (status && status >= 400 && status < 500)
      return fault(reply, status, 'Sender', err.code ?? 'bad_request', err.message);
    reply.log.error({ err }, 'SGP.02 callback failed');
    return fault(reply, 500, 'Receiver', 'internal', 'internal error');
  });

  for (const path of ['/sgp02/es2', '/sgp02/es4'])
    app.post(
      path,
      {
        schema: {
          description: 'SGP.02 ES2/ES4 asynchronous responses and Handle*Notifications (SOAP 1.2)',
          body: { type: 'string', minLength: 1 },
        },
      },
      async (request, reply) => {
        const outcome = await opts.handler.handle(request.body as string);
        request.log.debug({ outcome }, 'SGP.02 callback');
        return reply.status(202).send();
      },
    );
}

import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError, ValidationError } from '../../errors.js';
import { fromDatabaseError } from '../../db/errors.js';

/**
 * One error shape for every route: `{ error, message, details? }`. Typed AppErrors carry their
 * status; schema violations become 400 with the failing paths; database integrity violations
 * become 409/422; anything else is logged and answered 500 without internals.
 */
export const errorsPlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((err: FastifyError, request, reply) => {
      let known: AppError | undefined = err instanceof AppError ? err : fromDatabaseError(err);
      if (!known && err.validation) {
        known = new ValidationError(
          `${err.validationContext ?? 'request'} ${err.message.replace(/^(body|querystring|params|headers)\/?/, '')}`.trim(),
          {
            validation: err.validation.map((v) => ({
              path: `${err.validationContext ?? ''}${v.instancePath}`,
              message: v.message,
            })),
          },
        );
      }
      if (!known && err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
        // fastify's own client errors (unsupported media type, body too large, bad JSON...).
        return reply.status(err.statusCode).send({ error: err.code ?? 'bad_request', message: err.message });
      }
      if (!known) {
        request.log.error({ err }, 'unhandled error');
        return reply.status(500).send({ error: 'internal', message: 'internal error' });
      }
      return reply.status(known.statusCode).send(known.toJSON());
    });
    app.setNotFoundHandler((request, reply) =>
      reply
        .status(404)
        .send({ error: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` }),
    );
  },
  { name: 'errors' },
);

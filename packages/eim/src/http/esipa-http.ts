import type { FastifyInstance, FastifyReply, LogLevel } from 'fastify';
import type { esipaFunctionOf } from '../esipa/esipa-handler.js';
import { EsipaRequestError, type EsipaHandler } from '../esipa/esipa-handler.js';

export const ESIPA_ASN1_CONTENT_TYPE = 'application/x-gsma-rsp-asn1';
/** The admin protocol this eIM speaks, sent back on every ESipa response. */
export const ESIPA_ADMIN_PROTOCOL = 'gsma/rsp/v2.1.0';
const ADMIN_PROTOCOL = /^gsma\/rsp\/v\d+\.\d+\.\d+$/;

export interface EsipaHttpOptions {
  handler: EsipaHandler;
  /** Largest body accepted (a GetBoundProfilePackage response is large, requests are not). */
  bodyLimit?: number;
  /**
   * Log level of these routes' request logs: each IPA poll is a request, and a fleet polling at
   * info would drown everything else. Unset: the server's level.
   */
  logLevel?: LogLevel;
}

/** JSON binding paths: `/gsma/rsp2/esipa/getEimPackage` carries the `getEimPackageRequest` alternative. */
const jsonFunctions: Record<string, keyof typeof esipaFunctionOf> = {
  initiateAuthentication: 'initiateAuthenticationRequestEsipa',
  authenticateClient: 'authenticateClientRequestEsipa',
  getBoundProfilePackage: 'getBoundProfilePackageRequestEsipa',
  cancelSession: 'cancelSessionRequestEsipa',
  handleNotification: 'handleNotificationEsipa',
  transferEimPackage: 'transferEimPackageResponse',
  getEimPackage: 'getEimPackageRequest',
  provideEimPackageResult: 'provideEimPackageResult',
};

/** The alternative name of an EsipaMessageFromEimToIpa body, read from its outer tag (BF39 ... BF50). */
const responseNames: Record<number, string> = {
  0x39: 'initiateAuthenticationResponseEsipa',
  0x3b: 'authenticateClientResponseEsipa',
  0x3a: 'getBoundProfilePackageResponseEsipa',
  0x41: 'cancelSessionResponseEsipa',
  0x4e: 'transferEimPackageRequest',
  0x4f: 'getEimPackageResponse',
  0x50: 'provideEimPackageResultResponse',
};

const BASE64 = '^[A-Za-z0-9+/]*={0,2}$';

function badRequest(reply: FastifyReply, error: string, message: string) {
  return reply.code(400).header('x-admin-protocol', ESIPA_ADMIN_PROTOCOL).send({ error, message });
}

/**
 * ESipa over HTTP (SGP.32 6.1): the ASN.1 binding, `POST /gsma/rsp2/asn1` with a DER
 * EsipaMessageFromIpaToEim, and the JSON binding, `POST /gsma/rsp2/esipa/<function>` with the
 * function's message as base64 DER (docs/INTERPRETATION.md, "ESipa JSON binding"). A thin
 * endpoint over one EsipaHandler: every decision is the handler's.
 */
export async function esipaHttpPlugin(app: FastifyInstance, o: EsipaHttpOptions): Promise<void> {
  const bodyLimit = o.bodyLimit ?? 1024 * 1024;
  const logLevel = o.logLevel;
  app.addContentTypeParser(ESIPA_ASN1_CONTENT_TYPE, { parseAs: 'buffer', bodyLimit }, (_req, body, done) =>
    done(null, body),
  );

  const run = async (reply: FastifyReply, der: Uint8Array, json: boolean) => {
    try {
      const r = await o.handler.handle(der);
      reply.header('x-admin-protocol', ESIPA_ADMIN_PROTOCOL);
      if (!r.body) return reply.code(204).send();
      if (json) {
        const name = responseNames[r.body[1]!] ?? 'response';
        return reply.send({ [name]: Buffer.from(r.body).toString('base64') });
      }
      return reply.type(ESIPA_ASN1_CONTENT_TYPE).send(Buffer.from(r.body));
    } catch (e) {
      if (e instanceof EsipaRequestError) return badRequest(reply, e.reason, e.message);
      throw e;
    }
  };

  app.post('/gsma/rsp2/asn1', { bodyLimit, logLevel }, async (req, reply) => {
    const type = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
    if (type !== ESIPA_ASN1_CONTENT_TYPE)
      return reply.code(415).send({
        error: 'unsupportedMediaType',
        message: `the ASN.1 binding takes ${ESIPA_ASN1_CONTENT_TYPE}, not ${type ?? 'no content type'}`,
      });
    const protocol = req.headers['x-admin-protocol'];
    if (typeof protocol !== 'string' || !ADMIN_PROTOCOL.test(protocol))
      return badRequest(reply, 'adminProtocol', 'X-Admin-Protocol must be gsma/rsp/v<major>.<minor>.<patch>');
    return run(reply, req.body as Buffer, false);
  });

  app.post<{ Params: { function: string }; Body: Record<string, string> }>(
    '/gsma/rsp2/esipa/:function',
    {
      bodyLimit,
      logLevel,
      schema: {
        params: {
          type: 'object',
          properties: { function: { type: 'string', enum: Object.keys(jsonFunctions) } },
        },
        body: {
          type: 'object',
          minProperties: 1,
          maxProperties: 1,
          additionalProperties: { type: 'string', pattern: BASE64 },
        },
      },
    },
    async (req, reply) => {
      const alternative = jsonFunctions[req.params.function]!;
      const value = req.body[alternative];
      if (value === undefined)
        return badRequest(
          reply,
          'malformed',
          `${req.params.function} takes {"${alternative}": "<base64 DER>"}`,
        );
      const der = new Uint8Array(Buffer.from(value, 'base64'));
      // The path names the function: a message of another function is refused, not run.
      const tag = jsonTagOf[alternative];
      if (der[0] !== 0xbf || der[1] !== tag)
        return badRequest(
          reply,
          'malformed',
          `the body of ${req.params.function} must be a ${alternative} (BF${tag.toString(16).toUpperCase()})`,
        );
      return run(reply, der, true);
    },
  );
}

const jsonTagOf: Record<keyof typeof esipaFunctionOf, number> = {
  initiateAuthenticationRequestEsipa: 0x39,
  authenticateClientRequestEsipa: 0x3b,
  getBoundProfilePackageRequestEsipa: 0x3a,
  cancelSessionRequestEsipa: 0x41,
  handleNotificationEsipa: 0x3d,
  transferEimPackageResponse: 0x4e,
  getEimPackageRequest: 0x4f,
  provideEimPackageResult: 0x50,
};

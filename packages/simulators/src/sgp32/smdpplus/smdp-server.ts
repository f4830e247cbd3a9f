/**
 * The SM-DP+ simulator on HTTP: ES9+ over SGP.22's ASN.1 binding (`POST /gsma/rsp2/asn1`,
 * `application/x-gsma-rsp-asn1`, DER RemoteProfileProvisioningRequest/Response; HandleNotification
 * answers 204), a thin endpoint over `SmdpPlus`, plus a read-only admin view (`GET /sim/smdpp`).
 */
import Fastify from 'fastify';
import { ESIPA_ADMIN_PROTOCOL } from '../ipa/http-transport.js';
import { ESIPA_ASN1_PATH, ESIPA_CONTENT_TYPE } from '../ipa/esipa-client.js';
import { loadSgp26SmdpCredentials, type SmdpCredentials } from '../pki/smdp-credentials.js';
import { loadProfilesDir, type ProfilePackage } from './profile-store.js';
import { Es9RequestError, SmdpPlus } from './smdp-plus.js';

export const ES9PLUS_ASN1_PATH = ESIPA_ASN1_PATH;
export const ES9PLUS_CONTENT_TYPE = ESIPA_CONTENT_TYPE;

export interface SmdpServerOptions {
  host?: string;
  port?: number;
  /** The SM-DP+ address in activation codes and serverSigned1; default `<host>:<port>` once listening. */
  address?: string;
  credentials?: SmdpCredentials;
  profiles?: ProfilePackage[];
  /** See SmdpPlusOptions.uniqueIccids. */
  uniqueIccids?: boolean;
  log?: boolean;
}

export interface SmdpServer {
  url: string;
  smdp: SmdpPlus;
  close(): Promise<void>;
}

export async function startSmdpServer(o: SmdpServerOptions = {}): Promise<SmdpServer> {
  const app = Fastify({ logger: o.log ? { level: 'info' } : false, bodyLimit: 1024 * 1024 });
  app.addContentTypeParser(ES9PLUS_CONTENT_TYPE, { parseAs: 'buffer' }, (_r, body, done) => done(null, body));
  // The address defaults to the port bound by listen(): the SM-DP+ is made once it is known.
  const bound: { smdp?: SmdpPlus } = {};
  app.post(ES9PLUS_ASN1_PATH, async (req, reply) => {
    if (!Buffer.isBuffer(req.body))
      return reply.status(415).send({ error: `content type must be ${ES9PLUS_CONTENT_TYPE}` });
    try {
      const answer = bound.smdp!.handle(new Uint8Array(req.body));
      reply.header('x-admin-protocol', ESIPA_ADMIN_PROTOCOL);
      if (!answer) return reply.status(204).send();
      return reply.type(ES9PLUS_CONTENT_TYPE).send(Buffer.from(answer));
    } catch (e) {
      if (e instanceof Es9RequestError) return reply.status(400).send({ error: e.message });
      throw e;
    }
  });
  app.get('/sim/smdpp', async () => ({
    address: bound.smdp!.address,
    profiles: bound.smdp!.listProfiles().map((p) => ({
      matchingId: p.matchingId,
      iccid: p.iccid,
      profileName: p.profileName,
      activationCode: bound.smdp!.activationCode(p.matchingId),
    })),
    downloads: bound.smdp!.downloads,
    notifications: bound.smdp!.notifications.length,
  }));
  const host = o.host ?? '127.0.0.1';
  await app.listen({ host, port: o.port ?? 0 });
  const { port } = app.server.address() as { port: number };
  const smdp = (bound.smdp = new SmdpPlus({
    address: o.address ?? `${host}:${port}`,
    credentials: o.credentials ?? loadSgp26SmdpCredentials(),
    profiles: o.profiles ?? loadProfilesDir(),
    ...(o.uniqueIccids ? { uniqueIccids: true } : {}),
  }));
  return { url: `http://${host}:${port}`, smdp, close: () => app.close() };
}

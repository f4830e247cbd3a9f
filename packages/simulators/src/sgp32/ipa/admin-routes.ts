/**
 * The fleet's admin endpoint: what the devices hold (`GET /sim/fleet`, which the orchestrator
 * reads to register the fleet), faults and reboots (`POST /sim/faults`), an immediate poll
 * (`POST /sim/poll`), a replay of the last package (`POST /sim/replay`), the fallback mechanism
 * (`POST /sim/fallback`) and onboarding with AddInitialEim (`POST /sim/eims`).
 */
import {
  AddInitialEimResponse,
  EimConfigurationData,
  EuiccPackageResult,
  fromJson,
  toJson,
} from '@esim/asn1';
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import { UnknownDeviceError, type Fleet } from './fleet.js';
import { NoPackageToReplayError } from './ipa.js';

const EID = { type: 'string', pattern: '^[0-9]{32}$' } as const;

const faultsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    eid: EID,
    offline: { type: 'boolean' },
    dropResponses: { type: 'integer', minimum: 0, maximum: 1000 },
    latencyMs: { type: 'integer', minimum: 0, maximum: 60_000 },
    forgeSignatures: { type: 'integer', minimum: 0, maximum: 1000 },
    switchFails: { type: 'integer', minimum: 0, maximum: 1000 },
    reboot: { type: 'boolean' },
  },
} as const;

interface FaultsBody {
  eid?: string;
  offline?: boolean;
  dropResponses?: number;
  latencyMs?: number;
  forgeSignatures?: number;
  switchFails?: number;
  reboot?: boolean;
}

const pem = (der: Uint8Array) =>
  `-----BEGIN CERTIFICATE-----\n${Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n?$/, '\n')}-----END CERTIFICATE-----\n`;

export const adminRoutes: FastifyPluginAsync<{ fleet: Fleet }> = async (app, { fleet }) => {
  app.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) => {
    if (error instanceof UnknownDeviceError)
      return reply.code(404).send({ error: 'NotFound', message: error.message });
    if (error instanceof NoPackageToReplayError)
      return reply.code(409).send({ error: 'Conflict', message: error.message });
    const status = error.statusCode ?? 500;
    return reply
      .code(status)
      .send({ error: status < 500 ? 'BadRequest' : 'InternalError', message: error.message });
  });

  app.get('/sim/fleet', async () => ({ ciCertificate: pem(fleet.ciCertificate), devices: fleet.describe() }));

  app.get<{ Params: { eid: string } }>(
    '/sim/fleet/:eid',
    { schema: { params: { type: 'object', properties: { eid: EID }, required: ['eid'] } } },
    async (request) => fleet.describe(request.params.eid)[0],
  );

  app.post<{ Body: FaultsBody }>('/sim/faults', { schema: { body: faultsSchema } }, async (request) => {
    const { eid, reboot, ...faults } = request.body;
    const devices = fleet.select(eid);
    for (const d of devices) {
      Object.assign(d.faults, faults);
      if (reboot) await d.reboot();
    }
    fleet.persist(devices);
    return { devices: devices.map((d) => ({ eid: d.eid, faults: d.faults })) };
  });

  app.post<{ Body: { eid?: string } }>(
    '/sim/poll',
    { schema: { body: { type: 'object', additionalProperties: false, properties: { eid: EID } } } },
    async (request) => {
      const devices = fleet.select(request.body?.eid);
      const outcomes = await Promise.allSettled(devices.map((d) => d.pollOnce()));
      return {
        devices: devices.map((d, i) => {
          const o = outcomes[i]!;
          return {
            eid: d.eid,
            ok: o.status === 'fulfilled',
            ...(o.status === 'rejected' ? { error: String((o.reason as Error).message) } : {}),
          };
        }),
      };
    },
  );

  app.post<{ Body: { eid: string } }>(
    '/sim/fallback',
    {
      schema: {
        body: { type: 'object', additionalProperties: false, required: ['eid'], properties: { eid: EID } },
      },
    },
    async (request) => {
      const [device] = fleet.select(request.body.eid);
      const activated = device!.euicc.activateFallback();
      fleet.persist([device!]);
      return { eid: device!.eid, activated };
    },
  );

  app.post<{ Body: { eid: string; send?: boolean } }>(
    '/sim/replay',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['eid'],
          properties: { eid: EID, send: { type: 'boolean' } },
        },
      },
    },
    async (request) => {
      const [device] = fleet.select(request.body.eid);
      const result = await device!.replayLastPackage(request.body.send ?? false);
      fleet.persist([device!]);
      return { eid: device!.eid, result: toJson(EuiccPackageResult, result) };
    },
  );

  app.post<{ Body: { eid?: string; eimConfigurationData: unknown } }>(
    '/sim/eims',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['eimConfigurationData'],
          properties: { eid: EID, eimConfigurationData: { type: 'object' } },
        },
      },
    },
    async (request, reply) => {
      let data: EimConfigurationData;
      try {
        data = fromJson(EimConfigurationData, request.body.eimConfigurationData);
      } catch (e) {
        return reply
          .code(400)
          .send({ error: 'BadRequest', message: `eimConfigurationData: ${(e as Error).message}` });
      }
      const devices = fleet.select(request.body.eid);
      return {
        devices: devices.map((d) => ({
          eid: d.eid,
          response: toJson(
            AddInitialEimResponse,
            d.euicc.addInitialEim({ eimConfigurationDataList: [data] }),
          ),
        })),
      };
    },
  );
};

/** The admin server: unknown body properties are refused, not silently dropped (a mistyped fault). */
export async function adminServer(fleet: Fleet): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, ajv: { customOptions: { removeAdditional: false } } });
  await app.register(adminRoutes, { fleet });
  return app;
}

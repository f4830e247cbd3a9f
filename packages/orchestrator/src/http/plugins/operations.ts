import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import Type from 'typebox';
import { actorOf } from '../../auth/roles.js';
import { NotFoundError } from '../../errors.js';
import { Eid, StackSchema } from '../../inventory/schemas.js';
import { toOperation } from '../../operations/knex-operation-store.js';
import type { OperationService } from '../../operations/operation-service.js';
import type { OperationStore } from '../../operations/operation-store.js';
import {
  AuditEntrySchema,
  CreateOperationSchema,
  OperationSchema,
  OperationStateSchema,
  OperationTypeSchema,
  toAuditEntry,
  type AuditRow,
} from '../../operations/schemas.js';
import type { OperationType } from '../../operations/vocabulary.js';
import { PageOf, PageQuery, page, whereEquals } from '../pagination.js';
import { principalOf } from './auth.js';

export interface OperationsOptions {
  knex: Knex;
  service: OperationService;
  store: OperationStore;
}

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Uuid = Type.String({ format: 'uuid' });
const tags = ['operations'];

/** Manual operations, their list and history, and cancel. */
export async function operationsPlugin(app: FastifyInstance, { knex, service, store }: OperationsOptions) {
  app.post(
    '/operations',
    {
      schema: {
        tags,
        summary: 'Ask for an operation on an eUICC',
        body: CreateOperationSchema,
        response: { 201: OperationSchema },
      },
    },
    async (request, reply) => {
      const b = request.body as {
        eid?: string;
        deviceId?: string;
        type: OperationType;
        params?: Record<string, unknown>;
        priority?: number;
        maxAttempts?: number;
        validUntil?: string;
        validitySeconds?: number;
      };
      const principal = principalOf(request);
      const op = await service.request({
        ...b,
        params: b.params ?? {},
        validUntil: b.validUntil === undefined ? undefined : new Date(b.validUntil),
        requestedBy: actorOf(principal),
        reason: { api: { method: 'POST', path: '/api/v1/operations', token: principal.name } },
      });
      return reply.status(201).send(op);
    },
  );

  app.get(
    '/operations',
    {
      schema: {
        tags,
        summary: 'List operations, newest first',
        querystring: Type.Object(
          {
            ...PageQuery,
            state: Type.Optional(OperationStateSchema),
            type: Type.Optional(OperationTypeSchema),
            stack: Type.Optional(StackSchema),
            eid: Type.Optional(Eid),
            deviceId: Type.Optional(Uuid),
            ruleId: Type.Optional(Uuid),
            eventId: Type.Optional(Uuid),
          },
          { additionalProperties: false },
        ),
        response: { 200: PageOf(OperationSchema) },
      },
    },
    async (request) => {
      const q = request.query as { limit: number; offset: number } & Record<string, string | undefined>;
      const columns: Record<string, string> = {
        state: 'state',
        type: 'type',
        stack: 'stack',
        eid: 'eid',
        deviceId: 'device_id',
        ruleId: 'rule_id',
        eventId: 'event_id',
      };
      const query = knex('operations')
        .orderBy([{ column: 'created_at', order: 'desc' }, 'id'])
        .limit(q.limit + 1)
        .offset(q.offset);
      whereEquals(query, q, columns);
      return page((await query).map(toOperation), q);
    },
  );

  app.get(
    '/operations/:id',
    { schema: { tags, params: Id, response: { 200: OperationSchema } } },
    async (request) => {
      const { id } = request.params as { id: string };
      const op = await store.get(id);
      if (!op) throw new NotFoundError(`no operation ${id}`, { id });
      return op;
    },
  );

  app.get(
    '/operations/:id/audit',
    {
      schema: {
        tags,
        summary: 'Every transition of the operation: who, when, why',
        params: Id,
        response: { 200: Type.Array(AuditEntrySchema) },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      if (!(await store.get(id))) throw new NotFoundError(`no operation ${id}`, { id });
      const rows = await knex<AuditRow>('audit_log')
        .where({ entity_type: 'operation', entity_id: id })
        .orderBy('id');
      return rows.map(toAuditEntry);
    },
  );

  app.post(
    '/operations/:id/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel a pending or sent operation (a sent one may still have run on the eUICC)',
        params: Id,
        response: { 200: OperationSchema },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const principal = principalOf(request);
      return service.cancel(id, actorOf(principal), {
        api: { method: 'POST', path: `/api/v1/operations/${id}/cancel`, token: principal.name },
      });
    },
  );
}

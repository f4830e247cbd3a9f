import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import Type from 'typebox';
import { AuditEntrySchema, toAuditEntry, type AuditRow } from '../../operations/schemas.js';
import { PageOf, PageQuery, page, whereEquals } from '../pagination.js';

const text = Type.String({ minLength: 1, maxLength: 200 });

/** The audit log, newest first, filtered by entity, actor, action and time. */
export async function auditPlugin(app: FastifyInstance, { knex }: { knex: Knex }) {
  app.get(
    '/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Who did what, when and why',
        querystring: Type.Object(
          {
            ...PageQuery,
            entityType: Type.Optional(text),
            entityId: Type.Optional(text),
            actor: Type.Optional(text),
            action: Type.Optional(text),
            since: Type.Optional(Type.String({ format: 'date-time' })),
            until: Type.Optional(Type.String({ format: 'date-time' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: PageOf(AuditEntrySchema) },
      },
    },
    async (request) => {
      const q = request.query as { limit: number; offset: number } & Record<string, string | undefined>;
      const query = knex<AuditRow>('audit_log')
        .orderBy('id', 'desc')
        .limit(q.limit + 1)
        .offset(q.offset);
      whereEquals(query, q, {
        entityType: 'entity_type',
        entityId: 'entity_id',
        actor: 'actor',
        action: 'action',
      });
      if (q.since !== undefined) query.where('at', '>=', q.since);
      if (q.until !== undefined) query.where('at', '<', q.until);
      return page(((await query) as AuditRow[]).map(toAuditEntry), q);
    },
  );
}

import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import Type from 'typebox';
import { actorOf } from '../../auth/roles.js';
import { UnprocessableError } from '../../errors.js';
import { bulkImport } from '../../inventory/bulk-import.js';
import { csvRows, jsonArrayRows, ndjsonRows } from '../../inventory/import-parsers.js';
import { importFields } from '../../inventory/import-row.js';

const Report = Type.Object({
  rows: Type.Integer(),
  imported: Type.Integer(),
  failed: Type.Integer(),
  errors: Type.Array(
    Type.Object({ line: Type.Integer(), field: Type.Optional(Type.String()), message: Type.String() }),
  ),
  errorsTruncated: Type.Boolean(),
  committed: Type.Boolean(),
});

/**
 * `POST /inventory/import`: devices, eUICCs and profiles from CSV (`text/csv`, header row), NDJSON
 * (`application/x-ndjson`) or a JSON array (`application/json`), read as a stream whatever its size. 200 with the report when
 * imported; 422 with the report as details when a row failed and nothing was imported (all or
 * nothing, unless `?partial=true`). Idempotent by content (upserts), so it takes no Idempotency-Key.
 */
export async function importPlugin(app: FastifyInstance, { knex }: { knex: Knex }) {
  // The body stays a stream: no size limit applies and no row is held longer than it takes to check it.
  app.removeContentTypeParser('application/json');
  for (const type of ['text/csv', 'application/x-ndjson', 'application/json'])
    app.addContentTypeParser(type, (_request, payload, done) => done(null, payload));

  app.post(
    '/inventory/import',
    {
      config: { idempotency: false },
      schema: {
        tags: ['inventory'],
        summary: `Bulk import (CSV, NDJSON or a JSON array) of devices + eUICCs + profiles; fields: ${importFields.join(', ')}`,
        querystring: Type.Object(
          { partial: Type.Boolean({ default: false }) },
          { additionalProperties: false },
        ),
        headers: Type.Object({
          'content-type': Type.String({
            pattern: '^(text/csv|application/x-ndjson|application/json)(;.*)?$',
          }),
        }),
        response: { 200: Report },
      },
    },
    async (request, reply) => {
      const body = request.body as Readable;
      const type = request.headers['content-type']!;
      const rows = type.startsWith('text/csv')
        ? csvRows(body)
        : type.startsWith('application/x-ndjson')
          ? ndjsonRows(body)
          : jsonArrayRows(body);
      const report = await bulkImport(knex, rows, {
        partial: (request.query as { partial: boolean }).partial,
        actor: actorOf(request.principal!),
      });
      if (!report.committed)
        throw new UnprocessableError(`${report.failed} of ${report.rows} rows failed; nothing was imported`, {
          ...report,
          code: 'import_failed',
        });
      return reply.status(200).send(report);
    },
  );
}

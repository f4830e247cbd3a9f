import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import Type, { type TSchema } from 'typebox';
import { appendAudit } from '../../audit/audit-log.js';
import { actorOf } from '../../auth/roles.js';
import { NotFoundError } from '../../errors.js';
import { refuseKeyMaterial } from '../../inventory/key-material.js';
import { toApi, toColumns, type ResourceSchemas } from '../../inventory/schemas.js';
import { PageOf, PageQuery, page } from '../pagination.js';
import { principalOf } from './auth.js';

export interface Filter {
  schema: TSchema;
  apply(query: Knex.QueryBuilder, value: never): void;
}

export interface InventoryResource {
  /** Singular name: "device"; the audit log's entity type. */
  name: string;
  path: string;
  table: string;
  /** The API field that identifies one item (its column is the table's primary key). */
  key: string;
  schemas: ResourceSchemas;
  filters: Record<string, Filter>;
  /** Rules across fields and tables, checked on the written row inside its transaction (throws to refuse). */
  check?(trx: Knex.Transaction, row: Record<string, unknown>): Promise<void>;
}

export interface InventoryResourceOptions {
  knex: Knex;
  resource: InventoryResource;
}

type Body = Record<string, unknown>;

/**
 * List, read, create, update and delete of one inventory table. Every write refuses key material
 * before schema validation (so that a `ki` field is named as such, not as an unknown field) and is
 * audited in its own transaction.
 */
export async function inventoryResourcePlugin(
  app: FastifyInstance,
  { knex, resource }: InventoryResourceOptions,
) {
  const { name, path, table, key, schemas } = resource;
  const keyColumn = schemas.fields[key]!.column;
  const Params = Type.Object({ [key]: schemas.fields[key]!.schema });
  const tags = [`${name}s`];
  const notFound = (id: string) => new NotFoundError(`no ${name} ${id}`, { [key]: id });
  const preValidation = async (request: { body: unknown }) => refuseKeyMaterial(request.body);

  app.get(
    path,
    {
      schema: {
        tags,
        summary: `List ${name}s`,
        querystring: Type.Object(
          {
            ...PageQuery,
            ...Object.fromEntries(
              Object.entries(resource.filters).map(([k, f]) => [k, Type.Optional(f.schema)]),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: PageOf(schemas.Item) },
      },
    },
    async (request) => {
      const q = request.query as { limit: number; offset: number } & Record<string, unknown>;
      const query = knex(table)
        .orderBy(keyColumn)
        .limit(q.limit + 1)
        .offset(q.offset);
      for (const [k, f] of Object.entries(resource.filters))
        if (q[k] !== undefined) f.apply(query, q[k] as never);
      const rows = (await query) as Body[];
      return page(
        rows.map((r) => toApi(schemas, r)),
        q,
      );
    },
  );

  app.get(
    `${path}/:${key}`,
    { schema: { tags, summary: `Read a ${name}`, params: Params, response: { 200: schemas.Item } } },
    async (request) => {
      const id = (request.params as Record<string, string>)[key]!;
      const row = await knex(table).where(keyColumn, id).first();
      if (!row) throw notFound(id);
      return toApi(schemas, row);
    },
  );

  app.post(
    path,
    {
      preValidation,
      schema: { tags, summary: `Create a ${name}`, body: schemas.Create, response: { 201: schemas.Item } },
    },
    async (request, reply) => {
      const actor = actorOf(principalOf(request));
      const row = await knex.transaction(async (trx) => {
        const [created] = (await trx(table)
          .insert(toColumns(schemas, request.body as Body))
          .returning('*')) as Body[];
        await resource.check?.(trx, created!);
        await appendAudit(trx, {
          actor,
          action: `${name}.created`,
          entityType: name,
          entityId: String(created![keyColumn]),
          details: request.body as Body,
        });
        return created!;
      });
      return reply.status(201).send(toApi(schemas, row));
    },
  );

  app.patch(
    `${path}/:${key}`,
    {
      preValidation,
      schema: {
        tags,
        summary: `Change a ${name}`,
        params: Params,
        body: schemas.Update,
        response: { 200: schemas.Item },
      },
    },
    async (request) => {
      const id = (request.params as Record<string, string>)[key]!;
      const actor = actorOf(principalOf(request));
      return knex.transaction(async (trx) => {
        const [row] = (await trx(table)
          .where(keyColumn, id)
          .update({ ...toColumns(schemas, request.body as Body), updated_at: trx.fn.now() })
          .returning('*')) as Body[];
        if (!row) throw notFound(id);
        await resource.check?.(trx, row);
        await appendAudit(trx, {
          actor,
          action: `${name}.updated`,
          entityType: name,
          entityId: id,
          details: request.body as Body,
        });
        return toApi(schemas, row);
      });
    },
  );

  app.delete(
    `${path}/:${key}`,
    { schema: { tags, summary: `Delete a ${name}`, params: Params, response: { 204: Type.Null() } } },
    async (request, reply) => {
      const id = (request.params as Record<string, string>)[key]!;
      const actor = actorOf(principalOf(request));
      await knex.transaction(async (trx) => {
        const deleted = await trx(table).where(keyColumn, id).del();
        if (deleted === 0) throw notFound(id);
        await appendAudit(trx, { actor, action: `${name}.deleted`, entityType: name, entityId: id });
      });
      return reply.status(204).send();
    },
  );
}

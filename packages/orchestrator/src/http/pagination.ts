import type { Knex } from 'knex';
import Type, { type TSchema } from 'typebox';

/** Offset pagination, the same on every list: `?limit=&offset=`, answered with `nextOffset` (null at the end). */
export const PageQuery = {
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50, description: 'Items per page' }),
  offset: Type.Integer({ minimum: 0, default: 0, description: 'Items to skip' }),
};

export const PageOf = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    nextOffset: Type.Union([Type.Integer(), Type.Null()], {
      description: 'offset of the next page, null at the end',
    }),
  });

/** Lists are read with limit + 1 rows, so that the extra row says whether a next page exists. */
export function page<T>(rows: T[], query: { limit: number; offset: number }) {
  return {
    items: rows.slice(0, query.limit),
    nextOffset: rows.length > query.limit ? query.offset + query.limit : null,
  };
}

/** Equality filters of a list: each query parameter given narrows to its column. */
export function whereEquals(
  query: Knex.QueryBuilder,
  given: Record<string, unknown>,
  columns: Record<string, string>,
): Knex.QueryBuilder {
  for (const [param, column] of Object.entries(columns))
    if (given[param] !== undefined) query.where(column, given[param]);
  return query;
}

import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import Type from 'typebox';

const Counts = Type.Record(Type.String(), Type.Integer());

const SummarySchema = Type.Object({
  devices: Type.Object({
    total: Type.Integer(),
    /** `none`: a device without an eUICC yet. */
    byStack: Counts,
  }),
  profiles: Type.Object({
    byState: Counts,
    /** The operators with the most profiles (at most 50), with how many are enabled. */
    byOperator: Type.Array(
      Type.Object({ operator: Type.String(), total: Type.Integer(), enabled: Type.Integer() }),
    ),
  }),
  operations: Type.Object({ byState: Counts, lastDay: Counts }),
  campaigns: Type.Object({ byState: Counts }),
  events: Type.Object({ lastDay: Type.Integer() }),
});

const countsBy = async (q: Knex.QueryBuilder, column: string): Promise<Record<string, number>> => {
  const rows = (await q.select(`${column} as key`).count('* as n').groupBy(column)) as {
    key: string | null;
    n: string;
  }[];
  return Object.fromEntries(rows.map((r) => [r.key ?? 'none', Number(r.n)]));
};

/** The fleet at a glance: what the dashboard's overview shows, for scripts as well. */
export async function summaryPlugin(app: FastifyInstance, { knex }: { knex: Knex }) {
  app.get(
    '/summary',
    {
      schema: {
        tags: ['summary'],
        summary:
          'Counts of devices per stack, profiles per state and operator, operations, campaigns, events',
        response: { 200: SummarySchema },
      },
    },
    async () => {
      const dayAgo = knex.raw(`now() - interval '1 day'`);
      const byStack = await countsBy(
        knex('devices as d').leftJoin('euiccs as e', 'e.eid', 'd.eid'),
        'e.stack',
      );
      const byOperator = (await knex('profiles')
        .whereNot({ state: 'deleted' })
        .select(
          knex.raw(`coalesce(operator, 'unknown') as operator`),
          knex.raw('count(*)::int as total'),
          knex.raw(`(count(*) filter (where state = 'enabled'))::int as enabled`),
        )
        .groupByRaw(`coalesce(operator, 'unknown')`)
        .orderBy('total', 'desc')
        .limit(50)) as { operator: string; total: number; enabled: number }[];
      const events = (await knex('events').where('received_at', '>', dayAgo).count('* as n').first()) as {
        n: string;
      };
      return {
        devices: { total: Object.values(byStack).reduce((a, b) => a + b, 0), byStack },
        profiles: { byState: await countsBy(knex('profiles'), 'state'), byOperator },
        operations: {
          byState: await countsBy(knex('operations'), 'state'),
          lastDay: await countsBy(knex('operations').where('updated_at', '>', dayAgo), 'state'),
        },
        campaigns: { byState: await countsBy(knex('campaigns'), 'state') },
        events: { lastDay: Number(events.n) },
      };
    },
  );
}

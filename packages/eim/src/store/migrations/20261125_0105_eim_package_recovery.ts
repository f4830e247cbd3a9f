import type { Knex } from 'knex';

/**
 * What is handed out instead of a package's own body while the eIM recovers its result: when the
 * eUICC answers replayError for the package in flight, it executed it already, and the eIM asks
 * for the stored result (IpaEuiccDataRequest, same eimTransactionId). The signed package itself
 * is kept: it says what the result is the result of.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('eim_packages', (t) => {
    t.binary('handout');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('eim_packages', (t) => {
    t.dropColumn('handout');
  });
}

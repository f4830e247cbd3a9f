import type { Knex } from 'knex';
import * as eimAssociations from './20261125_0100_eim_associations.js';

export interface Migration {
  readonly name: string;
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/** The eIM's own tables, in order; the host application runs them with its own migrations. */
export const eimMigrations: readonly Migration[] = [
  { name: '20261125_0100_eim_associations', ...eimAssociations },
];

import type { Knex } from 'knex';
import * as eimAssociations from './20261125_0100_eim_associations.js';
import * as eimPackages from './20261125_0101_eim_packages.js';
import * as eimRejectedResults from './20261125_0102_eim_rejected_results.js';
import * as eimEuiccCredentials from './20261125_0103_eim_euicc_credentials.js';
import * as eimRelaySessions from './20261125_0104_eim_relay_sessions.js';
import * as eimPackageRecovery from './20261125_0105_eim_package_recovery.js';

export interface Migration {
  readonly name: string;
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/** The eIM's own tables, in order; the host application runs them with its own migrations. */
export const eimMigrations: readonly Migration[] = [
  { name: '20261125_0100_eim_associations', ...eimAssociations },
  { name: '20261125_0101_eim_packages', ...eimPackages },
  { name: '20261125_0102_eim_rejected_results', ...eimRejectedResults },
  { name: '20261125_0103_eim_euicc_credentials', ...eimEuiccCredentials },
  { name: '20261125_0104_eim_relay_sessions', ...eimRelaySessions },
  { name: '20261125_0105_eim_package_recovery', ...eimPackageRecovery },
];

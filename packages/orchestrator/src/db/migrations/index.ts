import { eimMigrations, type Migration } from '@esim/eim';
import * as coreModel from './20261125_0001_core_model.js';
import * as sgp02Messages from './20261125_0200_sgp02_messages.js';
import * as apiTables from './20261125_0010_api_tokens_idempotency_webhooks.js';
import * as webhookTrigger from './20261125_0011_webhook_outbox_trigger.js';
import * as earlyOutcomes from './20261125_0012_early_outcomes.js';
import * as campaigns from './20261204_0013_campaigns.js';

/**
 * Migrations are listed, not discovered on disk, so the same list runs from sources (tests)
 * and from the build. Names start with a date and a sequence number: their sort order is the
 * order they run in, across packages.
 */
export const migrations: readonly Migration[] = [
  { name: '20261125_0001_core_model', ...coreModel },
  { name: '20261125_0200_sgp02_messages', ...sgp02Messages },
  { name: '20261125_0010_api_tokens_idempotency_webhooks', ...apiTables },
  { name: '20261125_0011_webhook_outbox_trigger', ...webhookTrigger },
  { name: '20261125_0012_early_outcomes', ...earlyOutcomes },
  { name: '20261204_0013_campaigns', ...campaigns },
  ...eimMigrations,
].sort((a, b) => a.name.localeCompare(b.name));

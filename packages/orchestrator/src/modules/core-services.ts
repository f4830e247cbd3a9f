import type { Knex } from 'knex';
import { ApiTokens } from '../auth/api-tokens.js';
import { CampaignService } from '../campaigns/campaign-service.js';
import type { Config } from '../config/schema.js';
import { EventIntake } from '../events/event-intake.js';
import { KnexOperationStore } from '../operations/knex-operation-store.js';
import { OperationService } from '../operations/operation-service.js';
import type { OperationStore } from '../operations/operation-store.js';
import { KnexRuleStore } from '../rules/knex-rule-store.js';
import type { StackAdapter } from '../stacks/stack-adapter.js';

/** The orchestration core's services, built once over one database and shared by the API, intake and workers. */
export interface CoreServices {
  knex: Knex;
  config: Config;
  adapters: ReadonlyMap<string, StackAdapter>;
  tokens: ApiTokens;
  operationStore: OperationStore;
  operations: OperationService;
  rules: KnexRuleStore;
  intake: EventIntake;
  campaigns: CampaignService;
}

export function buildCoreServices(
  knex: Knex,
  config: Config,
  adapters: ReadonlyMap<string, StackAdapter>,
  operationStore: OperationStore = new KnexOperationStore(knex),
): CoreServices {
  const operations = new OperationService(
    knex,
    operationStore,
    adapters,
    config.OPERATION_DEFAULT_VALIDITY_SECONDS,
  );
  const rules = new KnexRuleStore(knex);
  return {
    knex,
    config,
    adapters,
    tokens: new ApiTokens(knex),
    operationStore,
    operations,
    rules,
    intake: new EventIntake(knex, rules, operations),
    campaigns: new CampaignService(knex, operations),
  };
}

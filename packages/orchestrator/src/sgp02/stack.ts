import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { InventoryObservations } from '../inventory/observations.js';
import type { OperationOutcomes } from '../operations/outcomes.js';
import type { OperationStore } from '../operations/operation-store.js';
import { Es2Client, Es4Client, type Requester } from './es-client.js';
import { PlatformDirectory } from './platform-directory.js';
import type { Sgp02Store } from './sgp02-store.js';

/** What the SGP.02 adapter and its callback endpoint share: clients, stores, the core contracts. */
export interface Sgp02Stack {
  readonly knex: Knex;
  readonly logger: Logger;
  readonly requester: Requester;
  readonly es2: Es2Client;
  readonly es4: Es4Client;
  readonly store: Sgp02Store;
  readonly directory: PlatformDirectory;
  readonly operations: OperationStore;
  readonly outcomes: OperationOutcomes;
  readonly observations: InventoryObservations;
}

export function createSgp02Stack(deps: Omit<Sgp02Stack, 'es2' | 'es4' | 'directory'>): Sgp02Stack {
  return {
    ...deps,
    es2: new Es2Client(deps.requester),
    es4: new Es4Client(deps.requester),
    directory: new PlatformDirectory(deps.knex),
  };
}

/**
 * The correlation id the operation of `req` has now: a retry sends a new message, so a late answer
 * to an earlier attempt (same FunctionCallIdentifier) still ends the operation.
 */
export async function currentCorrelation(
  s: Sgp02Stack,
  req: { operationId: string | null; correlationId: string },
  trx?: Knex.Transaction,
): Promise<string> {
  if (!req.operationId) return req.correlationId;
  return (await s.operations.get(req.operationId, trx))?.correlationId ?? req.correlationId;
}

import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import type { Database } from '../db/database.js';
import type { Broker } from '../broker/broker.js';
import type { InventoryObservations } from '../inventory/observations.js';
import type { OperationOutcomes } from '../operations/outcomes.js';
import type { OperationStore } from '../operations/operation-store.js';
import type { StackAdapter } from '../stacks/stack-adapter.js';

/** What a feature of the product is given when the app starts. */
export interface ModuleContext {
  readonly config: Config;
  readonly logger: Logger;
  readonly db: Database;
  readonly broker: Broker;
  /** Not listening yet: a module registers its fastify plugins here. */
  readonly server: FastifyInstance;
  readonly operations: OperationStore;
  readonly outcomes: OperationOutcomes;
  readonly observations: InventoryObservations;
  /** Adapters of the modules started before this one (a worker needs the stacks). */
  readonly adapters: ReadonlyMap<string, StackAdapter>;
}

export interface StartedModule {
  /** A stack module hands its adapter to the operation queue. */
  readonly adapter?: StackAdapter;
  /** What the module serves beyond the API (e.g. `esipaCoap`), added to the app's URLs. */
  readonly urls?: Readonly<Record<string, string>>;
  /** Called once the server listens, with its base URL (callbacks, ReplyTo addresses). */
  listening?(apiUrl: string): Promise<void>;
  close?(): Promise<void>;
}

/**
 * A feature of the product (a stack, the operation worker, event intake...), started in the
 * order of `appModules`. Modules talk to each other only through the core contracts above, the
 * way Leshan keeps protocol logic apart from its transports.
 */
export interface AppModule {
  readonly name: string;
  start(ctx: ModuleContext): Promise<StartedModule>;
}

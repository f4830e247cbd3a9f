import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Eim,
  EsipaHandler,
  EuiccChainVerifier,
  KnexEimStore,
  loadOrCreateEimCredentials,
  type Es9PlusClient,
  type EimCredentials,
  type EimEvent,
} from '@esim/eim';
import { Es9PlusRelay } from '@esim/eim';
import type { Knex } from 'knex';
import { CI_FILE } from './test-euicc.js';

export const EIM_ID = 'eim.test.example';

export interface EimFixture {
  eim: Eim;
  handler: EsipaHandler;
  store: KnexEimStore;
  credentials: EimCredentials;
  events: EimEvent[];
}

/** An eIM on the given database, with a key generated into a fresh folder (or the one given) and the SGP.26 CI trusted. */
export async function startEim(
  knex: Knex,
  o: { dataDir?: string; es9?: Es9PlusClient; defaultSmdpAddress?: string } = {},
): Promise<EimFixture & { dataDir: string }> {
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'eim-test-'));
  const credentials = await loadOrCreateEimCredentials({ dataDir, eimId: EIM_ID });
  const store = new KnexEimStore(knex);
  const events: EimEvent[] = [];
  const eim = new Eim({
    eimId: EIM_ID,
    eimFqdn: 'eim.test.example',
    store,
    credentials,
    verifier: EuiccChainVerifier.fromFiles([CI_FILE]),
    listener: { onEvent: async (e) => void events.push(e) },
  });
  const relay = o.es9 ? new Es9PlusRelay(eim, o.es9, o.defaultSmdpAddress) : undefined;
  return { eim, handler: new EsipaHandler(eim, relay), store, credentials, events, dataDir };
}

/**
 * A card's memory on disk, one JSON file per EID, so that a simulator restart finds its cards as
 * they were (profiles, eIMs, counters, pending notifications), as real cards would be.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EuiccState } from './state.js';

export class StateFileError extends Error {}

const fileOf = (dir: string, eid: string) => join(dir, `${eid}.json`);

export function loadEuiccState(dir: string, eid: string): EuiccState | undefined {
  const file = fileOf(dir, eid);
  if (!existsSync(file)) return undefined;
  let state: EuiccState;
  try {
    state = JSON.parse(readFileSync(file, 'utf8')) as EuiccState;
  } catch (e) {
    throw new StateFileError(`${file}: not JSON (${(e as Error).message})`);
  }
  if (state?.eid !== eid || !Array.isArray(state.profiles) || !Array.isArray(state.eims)) {
    throw new StateFileError(`${file}: not the state of the eUICC ${eid}`);
  }
  return state;
}

/** Written to a temporary file first: a crash mid-write leaves the previous state. */
export function saveEuiccState(dir: string, state: EuiccState): void {
  mkdirSync(dir, { recursive: true });
  const file = fileOf(dir, state.eid);
  writeFileSync(`${file}.tmp`, JSON.stringify(state));
  renameSync(`${file}.tmp`, file);
}

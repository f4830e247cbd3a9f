/** The shared reference vectors, read in place (../shared relative to the repo). */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SHARED = join(dirname(fileURLToPath(import.meta.url)), '../../../../../shared');

export interface Vector {
  name: string;
  asn1Type: string;
  module: string;
  moduleType?: string;
  hex: string;
  correctedHex?: string;
  problem?: string;
  hexInFile?: string;
}

export function readVectors(file: string): Vector[] {
  return JSON.parse(readFileSync(join(SHARED, 'vectors', file), 'utf8')) as Vector[];
}

export function readShared(path: string): Buffer {
  return readFileSync(join(SHARED, path));
}

export const bytes = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex.replace(/\s/g, ''), 'hex'));

/**
 * Everything `esimctl asn1` does, as functions returning strings, so it is testable here and the
 * orchestrator's command file only wires arguments and exit codes. Any problem is thrown as an
 * Error whose message is the one line to print (Asn1CliError for usage, Asn1*Error for data).
 */
import { readFileSync } from 'node:fs';
import { parseBase64, parseHex } from './der/hex.js';
import { hex } from './der/tags.js';
import { listTypes, lookupType, plainNames, type TypeEntry } from './registry.js';
import { decodeWithInfo, encode, fromJson, toJson, type DecodeOptions } from './schema/index.js';

export class Asn1CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Asn1CliError';
  }
}

export interface CliIo {
  readFile(path: string): Uint8Array;
  readStdin(): Uint8Array;
}

export const nodeIo: CliIo = {
  readFile: (path) => new Uint8Array(readFileSync(path)),
  readStdin: () => new Uint8Array(readFileSync(0)),
};

function readSource(input: string, io: CliIo): Uint8Array | undefined {
  if (input === '-') return io.readStdin();
  if (!input.startsWith('@')) return undefined;
  const path = input.slice(1);
  try {
    return io.readFile(path);
  } catch (e) {
    throw new Asn1CliError(`cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

const isText = (b: Uint8Array) => b.every((c) => c === 9 || c === 10 || c === 13 || (c >= 0x20 && c < 0x7f));

/**
 * `<hex|base64|@file|->`: hex (spaces and colons allowed) wins over base64 when both parse;
 * `hex:`/`base64:` prefixes force one. A file or stdin holding text is read as hex/base64,
 * anything else as raw DER.
 */
export function parseBinaryInput(input: string, io: CliIo = nodeIo): Uint8Array {
  const raw = readSource(input, io);
  if (raw && !isText(raw)) return raw;
  const text = (raw ? new TextDecoder().decode(raw) : input).trim();
  if (text === '') throw new Asn1CliError('empty input');
  if (text.startsWith('hex:')) {
    const b = parseHex(text.slice(4));
    if (!b) throw new Asn1CliError('input after "hex:" is not valid hex');
    return b;
  }
  if (text.startsWith('base64:')) {
    const b = parseBase64(text.slice(7));
    if (!b) throw new Asn1CliError('input after "base64:" is not valid base64');
    return b;
  }
  const b = parseHex(text) ?? parseBase64(text);
  if (!b) throw new Asn1CliError('input is neither hex nor base64 (use @file for a binary DER file)');
  return b;
}

/** `<json|@file|->` */
export function parseJsonInput(input: string, io: CliIo = nodeIo): unknown {
  const raw = readSource(input, io);
  const text = raw ? new TextDecoder().decode(raw) : input;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Asn1CliError(`input is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export function resolveType(name: string): TypeEntry {
  const e = lookupType(name);
  if (e) return e;
  const needle = name.toLowerCase().replace(/^.*\./, '');
  const near = listTypes()
    .filter((t) => t.name.toLowerCase().includes(needle) || needle.includes(t.name.toLowerCase()))
    .slice(0, 5)
    .map((t) => t.qualifiedName);
  throw new Asn1CliError(
    `unknown type "${name}"${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}; see "esimctl asn1 types"`,
  );
}

export interface DecodeCommandOptions extends Pick<DecodeOptions, 'strict' | 'maxDepth' | 'maxSize'> {
  /** One-line JSON instead of indented. */
  compact?: boolean;
  io?: CliIo;
}

export interface DecodeCommandResult {
  readonly json: string;
  /** Lenient readings and unknown extensions, one line each, for stderr. */
  readonly notes: readonly string[];
}

export function decodeCommand(
  typeName: string,
  input: string,
  options: DecodeCommandOptions = {},
): DecodeCommandResult {
  const type = resolveType(typeName);
  const bytes = parseBinaryInput(input, options.io);
  const { io: _io, compact, ...decodeOptions } = options;
  const r = decodeWithInfo(type.schema, bytes, decodeOptions);
  const notes = r.warnings.map((w) => `warning: ${w.path}: ${w.message} at offset ${w.offset}`);
  if (r.unknownExtensions > 0)
    notes.push(
      `note: ${r.unknownExtensions} unknown extension element(s) kept as raw TLV ($extensions / $unknown)`,
    );
  return { json: JSON.stringify(toJson(type.schema, r.value), null, compact ? undefined : 2), notes };
}

/** Returns the DER as uppercase hex. */
export function encodeCommand(typeName: string, input: string, options: { io?: CliIo } = {}): string {
  const type = resolveType(typeName);
  const json = parseJsonInput(input, options.io);
  return hex(encode(type.schema, fromJson(type.schema, json)));
}

/** One qualified name per line; `(plain: X)` where the plain name X resolves to that type. */
export function typesCommand(filter?: string): string {
  const plain = plainNames();
  const f = filter?.toLowerCase();
  return listTypes()
    .filter((t) => !f || t.qualifiedName.toLowerCase().includes(f))
    .map((t) => (plain.get(t.name) === t ? `${t.qualifiedName}  (plain: ${t.name})` : t.qualifiedName))
    .join('\n');
}

import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import streamArray from 'stream-json/streamers/stream-array.js';
import { ValidationError, UnprocessableError } from '../errors.js';
import { checkRow, importFields, type ParsedRow } from './import-row.js';
import { findKeyMaterial } from './key-material.js';

const booleans: Record<string, boolean> = {
  true: true,
  false: false,
  '1': true,
  '0': false,
  yes: true,
  no: false,
};

/** CSV cells as typed fields: empty = absent, tags separated by ';', booleans as true/false/1/0/yes/no. */
function typed(record: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) {
    if (v === '') continue;
    if (k === 'tags')
      out[k] = v
        .split(';')
        .map((t) => t.trim())
        .filter(Boolean);
    else if (k === 'fallback') out[k] = booleans[v.toLowerCase()] ?? v;
    else out[k] = v;
  }
  return out;
}

/** Refuses a header that names key material or a field the import does not know, before any row is read. */
function checkHeader(header: string[]): string[] {
  const key = findKeyMaterial(Object.fromEntries(header.map((h) => [h, ''])));
  if (key)
    throw new UnprocessableError(
      `column ${key.slice(1)} looks like key material; the orchestrator never stores keys`,
      {
        column: key.slice(1),
        code: 'key_material_refused',
      },
    );
  const unknown = header.filter((h) => !importFields.includes(h));
  if (unknown.length > 0)
    throw new ValidationError(
      `unknown column(s) ${unknown.join(', ')}; the columns are ${importFields.join(', ')}`,
      {
        unknown,
      },
    );
  return header;
}

/** CSV with a header row (csv-parse, streamed: one record in memory at a time). */
export async function* csvRows(body: Readable): AsyncGenerator<ParsedRow> {
  const parser = body.pipe(
    parse({
      columns: (h: string[]) => checkHeader(h.map((c) => c.trim())),
      skip_empty_lines: true,
      trim: true,
      info: true,
      relax_column_count: false,
    }),
  );
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>)
      yield checkRow(info.lines, typed(record));
  } catch (e) {
    if ((e as { code?: string }).code?.startsWith('CSV_'))
      throw new ValidationError(`CSV: ${(e as Error).message}`);
    throw e;
  }
}

/** NDJSON: one JSON object a line (read line by line). */
export async function* ndjsonRows(body: Readable): AsyncGenerator<ParsedRow> {
  let line = 0;
  for await (const text of createInterface({ input: body, crlfDelay: Infinity })) {
    line++;
    if (text.trim() === '') continue;
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch (e) {
      yield { line, error: { line, message: `not JSON: ${(e as Error).message}` } };
      continue;
    }
    yield checkRow(line, record);
  }
}

/** A JSON array of row objects, parsed as a stream (stream-json); `line` is the element's position, from 1. */
export async function* jsonArrayRows(body: Readable): AsyncGenerator<ParsedRow> {
  const items = body.pipe(streamArray.withParserAsStream());
  try {
    for await (const { key, value } of items as AsyncIterable<{ key: number; value: unknown }>)
      yield checkRow(key + 1, value);
  } catch (e) {
    if (e instanceof Error && !(e instanceof UnprocessableError) && !(e instanceof ValidationError))
      throw new ValidationError(`JSON: ${e.message}; expected an array of row objects`);
    throw e;
  }
}

import type { Knex } from 'knex';
import { appendAudit } from '../audit/audit-log.js';
import type { ImportRow, ParsedRow, RowError } from './import-row.js';

export interface ImportReport {
  rows: number;
  imported: number;
  failed: number;
  /** The first errors, by line (at most `maxErrors`). */
  errors: RowError[];
  errorsTruncated: boolean;
  /** False when rows failed and the import was all-or-nothing: nothing was written. */
  committed: boolean;
}

export interface ImportOptions {
  /** Import the good rows even when some fail (default: all or nothing). */
  partial: boolean;
  actor: string;
  batchSize?: number;
  maxErrors?: number;
}

const staging = 'import_rows';

const stagedColumns = (line: number, r: ImportRow) => ({
  line,
  eid: r.eid,
  stack: r.stack,
  smsr_id: r.smsrId ?? null,
  eim_id: r.eimId ?? null,
  eum_id: r.eumId ?? null,
  external_id: r.externalId ?? null,
  imei: r.imei ?? null,
  country: r.country ?? null,
  tags: r.tags ?? null,
  iccid: r.iccid ?? null,
  operator: r.operator ?? null,
  profile_state: r.profileState ?? null,
  fallback: r.fallback ?? null,
  msisdn: r.msisdn ?? null,
  imsi: r.imsi ?? null,
  profile_type: r.profileType ?? null,
  platform_id: r.platformId ?? null,
});

/**
 * Checks made on the whole import at once, in the database, so that a million rows never have to
 * be held in memory: each query returns the lines that fail it and why.
 */
const setChecks: { message: string; field: string; sql: string }[] = [
  {
    field: 'iccid',
    message: 'duplicate row: this ICCID is already on an earlier line',
    sql: `select line from (select line, row_number() over (partition by iccid order by line) n from ${staging} where iccid is not null) d where n > 1`,
  },
  {
    field: 'eid',
    message: 'duplicate row: this EID without a profile is already on an earlier line',
    sql: `select line from (select line, row_number() over (partition by eid order by line) n from ${staging} where iccid is null) d where n > 1`,
  },
  {
    field: 'eid',
    message: 'rows of the same EID disagree on the device or eUICC fields',
    sql: `select line from ${staging} r where exists (select 1 from ${staging} o where o.eid = r.eid and o.line < r.line
            and (o.stack, o.smsr_id, o.eim_id, o.eum_id, o.external_id, o.imei, o.country, o.tags)
                is distinct from (r.stack, r.smsr_id, r.eim_id, r.eum_id, r.external_id, r.imei, r.country, r.tags))`,
  },
  {
    field: 'externalId',
    message: 'this externalId belongs to another EID (in the inventory or on another line)',
    sql: `select line from ${staging} r where r.external_id is not null and (
            exists (select 1 from devices d where d.external_id = r.external_id and d.eid is distinct from r.eid)
            or exists (select 1 from ${staging} o where o.external_id = r.external_id and o.eid <> r.eid))`,
  },
  {
    field: 'stack',
    message: 'the eUICC is in the inventory with another stack',
    sql: `select line from ${staging} r join euiccs e on e.eid = r.eid where e.stack <> r.stack`,
  },
  {
    field: 'iccid',
    message: 'the profile is in the inventory on another eUICC',
    sql: `select line from ${staging} r join profiles p on p.iccid = r.iccid where p.eid is distinct from r.eid`,
  },
  {
    field: 'profileState',
    message: 'more than one enabled profile for this EID',
    sql: `select line from (select line, count(*) over (partition by eid) n from ${staging} where profile_state = 'enabled') d where n > 1`,
  },
  {
    field: 'fallback',
    message: 'more than one fallback profile for this EID',
    sql: `select line from (select line, count(*) over (partition by eid) n from ${staging} where fallback) d where n > 1`,
  },
  {
    field: 'eimId',
    message: 'an SGP.02 eUICC has no eIM (it is managed through its SM-SR)',
    sql: `select line from ${staging} where stack = 'sgp02' and eim_id is not null`,
  },
  {
    field: 'smsrId',
    message: 'an SGP.32 eUICC has no SM-SR (it is managed by an eIM)',
    sql: `select line from ${staging} where stack = 'sgp32' and smsr_id is not null`,
  },
  ...(
    [
      ['smsr_id', 'smsrId', `'smsr'`],
      ['eim_id', 'eimId', `'eim'`],
      ['platform_id', 'platformId', `'smdp', 'smdpplus'`],
    ] as const
  ).map(([c, field, kinds]) => ({
    field,
    message: `refers to a platform of another kind (expected ${kinds.replaceAll("'", '')})`,
    sql: `select line from ${staging} r join platforms p on p.id = r.${c} where p.kind not in (${kinds})`,
  })),
  ...(['smsr_id', 'eim_id', 'platform_id'] as const).map((c) => ({
    field: { smsr_id: 'smsrId', eim_id: 'eimId', platform_id: 'platformId' }[c],
    message: 'refers to a platform that is not in the inventory',
    sql: `select line from ${staging} r where r.${c} is not null and not exists (select 1 from platforms p where p.id = r.${c})`,
  })),
];

// Profiles that are no longer enabled/fallback first, so the one-per-eUICC indexes hold at every row.
const upserts = [
  `insert into euiccs (eid, stack, smsr_id, eim_id, eum_id)
     select distinct on (eid) eid, stack, smsr_id, eim_id, eum_id from ${staging} order by eid, line
   on conflict (eid) do update set smsr_id = coalesce(excluded.smsr_id, euiccs.smsr_id),
     eim_id = coalesce(excluded.eim_id, euiccs.eim_id), eum_id = coalesce(excluded.eum_id, euiccs.eum_id), updated_at = now()`,
  `insert into devices (eid, external_id, imei, country, tags)
     select distinct on (eid) eid, external_id, imei, country, coalesce(tags, '{}') from ${staging} order by eid, line
   on conflict (eid) do update set external_id = coalesce(excluded.external_id, devices.external_id),
     imei = coalesce(excluded.imei, devices.imei), country = coalesce(excluded.country, devices.country),
     tags = case when excluded.tags = '{}' then devices.tags else excluded.tags end, updated_at = now()`,
  ...[
    `coalesce(profile_state, '') <> 'enabled' and not coalesce(fallback, false)`,
    `profile_state = 'enabled' or fallback`,
  ].map(
    (
      which,
    ) => `insert into profiles (iccid, eid, operator, state, fallback, msisdn, imsi, profile_type, platform_id)
     select iccid, eid, operator, coalesce(profile_state, 'available'), coalesce(fallback, false), msisdn, imsi, profile_type, platform_id
       from ${staging} where iccid is not null and (${which})
   on conflict (iccid) do update set operator = coalesce(excluded.operator, profiles.operator),
     state = excluded.state, fallback = excluded.fallback, msisdn = coalesce(excluded.msisdn, profiles.msisdn),
     imsi = coalesce(excluded.imsi, profiles.imsi), profile_type = coalesce(excluded.profile_type, profiles.profile_type),
     platform_id = coalesce(excluded.platform_id, profiles.platform_id), updated_at = now()`,
  ),
];

/**
 * Bulk import of devices, eUICCs and profiles, streamed: rows are checked one by one as they
 * arrive and written in batches to a temporary table of the import's transaction; checks across
 * rows run there as SQL; then one upsert per table moves them in. Re-importing the same rows
 * changes nothing (upserts keyed by EID and ICCID). Without `partial`, one bad row and nothing
 * is written; with it, the good rows are imported and the bad ones reported.
 */
export async function bulkImport(
  knex: Knex,
  rows: AsyncIterable<ParsedRow> | Iterable<ParsedRow>,
  o: ImportOptions,
): Promise<ImportReport> {
  const batchSize = o.batchSize ?? 1000;
  const maxErrors = o.maxErrors ?? 1000;
  const failedLines = new Set<number>();
  const errors: RowError[] = [];
  let failed = 0;
  let count = 0;
  const fail = (e: RowError) => {
    if (failedLines.has(e.line)) return;
    failedLines.add(e.line);
    failed++;
    if (errors.length < maxErrors) errors.push(e);
  };
  const trx = await knex.transaction();
  try {
    await trx.raw(
      `create temp table ${staging} (line integer primary key, eid text not null, stack text not null, smsr_id text, eim_id text,
        eum_id text, external_id text, imei text, country text, tags text[], iccid text, operator text, profile_state text,
        fallback boolean, msisdn text, imsi text, profile_type text, platform_id text) on commit drop`,
    );
    let batch: Record<string, unknown>[] = [];
    for await (const parsed of rows) {
      count++;
      if ('error' in parsed) fail(parsed.error);
      else batch.push(stagedColumns(parsed.line, parsed.row));
      if (batch.length >= batchSize) {
        await trx(staging).insert(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await trx(staging).insert(batch);
    await trx.raw(`create index on ${staging} (eid)`);
    await trx.raw(`analyze ${staging}`);
    for (const check of setChecks) {
      const { rows: bad } = await trx.raw<{ rows: { line: number }[] }>(
        `${check.sql} order by 1 limit ${maxErrors * 10}`,
      );
      for (const b of bad) fail({ line: b.line, field: check.field, message: check.message });
    }
    errors.sort((a, b) => a.line - b.line);
    const report = { rows: count, failed, errors, errorsTruncated: failed > errors.length };
    if (failed > 0 && !o.partial) {
      await trx.rollback();
      return { ...report, imported: 0, committed: false };
    }
    if (failed > 0) {
      // A failed line takes the other lines of its device with it: half a device is not imported.
      await trx.raw(`delete from ${staging} where eid in (select eid from ${staging} where line = any(?))`, [
        [...failedLines],
      ]);
    }
    const [{ n }] = (await trx.raw<{ rows: { n: number }[] }>(`select count(*)::int n from ${staging}`))
      .rows as [{ n: number }];
    for (const sql of upserts) await trx.raw(sql);
    await appendAudit(trx, {
      actor: o.actor,
      action: 'inventory.imported',
      entityType: 'inventory',
      entityId: 'import',
      details: { rows: count, imported: n, failed, partial: o.partial },
    });
    await trx.commit();
    return { ...report, imported: n, committed: true };
  } catch (e) {
    if (!trx.isCompleted()) await trx.rollback();
    throw e;
  }
}

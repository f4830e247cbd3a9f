import type { Knex } from 'knex';
import { UnprocessableError } from '../errors.js';
import { profileRoute } from '../sgp02/profile-route.js';

/**
 * Which platform may manage what (DESIGN.md section 4): an SGP.02 eUICC is reached through an SM-SR
 * and never has an eIM, an SGP.32 eUICC is managed by an eIM and never has an SM-SR, and a profile
 * comes from an SM-DP (SGP.02) or an SM-DP+ (SGP.32).
 */
export async function checkEuiccPlatforms(
  k: Knex | Knex.Transaction,
  row: Record<string, unknown>,
): Promise<void> {
  if (row.stack === 'sgp02' && row.eim_id)
    throw new UnprocessableError('an SGP.02 eUICC has no eIM (it is managed through its SM-SR)', {
      field: 'eimId',
    });
  if (row.stack === 'sgp32' && row.smsr_id)
    throw new UnprocessableError('an SGP.32 eUICC has no SM-SR (it is managed by an eIM)', {
      field: 'smsrId',
    });
  await checkKind(k, row.smsr_id, ['smsr'], 'smsrId');
  await checkKind(k, row.eim_id, ['eim'], 'eimId');
}

/** Only an SM-SR has a profile management route (`metadata.profileManagementRoute`), ES4 or ES2. */
export async function checkPlatform(
  _k: Knex | Knex.Transaction,
  row: Record<string, unknown>,
): Promise<void> {
  const metadata = (row.metadata ?? {}) as Record<string, unknown>;
  if (metadata.profileManagementRoute === undefined) return;
  const field = 'metadata.profileManagementRoute';
  if (row.kind !== 'smsr')
    throw new UnprocessableError(`${field} is a setting of an SM-SR, not of a ${String(row.kind)}`, {
      field,
    });
  const route = profileRoute(metadata);
  if ('problem' in route) throw new UnprocessableError(route.problem, { field });
}

export async function checkProfilePlatform(
  k: Knex | Knex.Transaction,
  row: Record<string, unknown>,
): Promise<void> {
  await checkKind(k, row.platform_id, ['smdp', 'smdpplus'], 'platformId');
}

async function checkKind(
  k: Knex | Knex.Transaction,
  id: unknown,
  kinds: string[],
  field: string,
): Promise<void> {
  if (id === null || id === undefined) return;
  const p = await k('platforms').where({ id }).first<{ kind: string } | undefined>('kind');
  if (p && !kinds.includes(p.kind))
    throw new UnprocessableError(
      `${field} ${String(id)} is a platform of kind ${p.kind}, not ${kinds.join(' or ')}`,
      {
        field,
        kind: p.kind,
      },
    );
}

import type { Knex } from 'knex';
import { ValidationError } from '../errors.js';
import type { CampaignSelector } from './campaign.js';

/**
 * The devices (with an eUICC) a selector names, as a query over `devices as d` joined with
 * `euiccs as e`, for the caller to select from. Plain SQL, so that snapshotting a million
 * targets is one INSERT ... SELECT inside the database.
 */
export function selectTargets(k: Knex | Knex.Transaction, s: CampaignSelector): Knex.QueryBuilder {
  const criteria = Object.keys(s).filter((key) => key !== 'all');
  if (criteria.length === 0 && !s.all)
    throw new ValidationError('the selector names no criterion; say "all": true to target the whole fleet', {
      path: '/selector',
    });
  const q = k('devices as d').join('euiccs as e', 'e.eid', 'd.eid');
  if (s.stack !== undefined) q.where('e.stack', s.stack);
  if (s.country !== undefined) q.where('d.country', s.country);
  if (s.tags !== undefined) q.whereRaw('d.tags @> ?::text[]', [s.tags]);
  if (s.platformId !== undefined) {
    const platformId = s.platformId;
    q.where((w) => w.where('e.smsr_id', platformId).orWhere('e.eim_id', platformId));
  }
  if (s.operator !== undefined)
    q.whereExists(
      k('profiles as p')
        .select(k.raw('1'))
        .whereRaw('p.eid = d.eid')
        .where({ 'p.state': 'enabled', 'p.operator': s.operator }),
    );
  if (s.eids !== undefined) q.whereIn('d.eid', s.eids);
  return q;
}

import type { Knex } from 'knex';
import { platformAuth } from './platform-auth.js';
import { profileRoute, type ProfileRoute } from './profile-route.js';

/** An SM-SR or SM-DP as a row of `platforms`. */
export interface Platform {
  id: string;
  kind: 'smsr' | 'smdp';
  entityId: string;
  endpointUrl: string;
  /** The Authorization header we send it, if any. */
  authorization?: string;
  /** Why its configured authentication cannot be used; nothing is sent to it then. */
  authProblem?: string;
  /** SM-SR: the route of its eUICCs' profile management (profile-route.ts). */
  route: ProfileRoute;
  /** Why its configured route cannot be used; no operation of its eUICCs is sent then. */
  routeProblem?: string;
}

interface Row {
  id: string;
  kind: string;
  entity_id: string | null;
  endpoint_url: string | null;
  auth: unknown;
  metadata: unknown;
}

function toPlatform(r: Row | undefined): Platform | undefined {
  if (!r || !r.entity_id || !r.endpoint_url || (r.kind !== 'smsr' && r.kind !== 'smdp')) return undefined;
  const auth = platformAuth(r.auth);
  const route = profileRoute(r.metadata);
  return {
    id: r.id,
    kind: r.kind,
    entityId: r.entity_id,
    endpointUrl: r.endpoint_url,
    ...('problem' in auth ? { authProblem: auth.problem } : auth),
    ...('problem' in route ? { route: 'ES4', routeProblem: route.problem } : route),
  };
}

/**
 * Where the SGP.02 stack finds its peers: the platforms table and the eUICC's SM-SR. Only
 * platforms with an EntityId and an endpoint can be called or trusted.
 */
export class PlatformDirectory {
  constructor(private readonly knex: Knex) {}

  async byId(id: string, trx?: Knex.Transaction): Promise<Platform | undefined> {
    return toPlatform(await (trx ?? this.knex)<Row>('platforms').where({ id }).first());
  }

  async byEntityId(entityId: string, trx?: Knex.Transaction): Promise<Platform[]> {
    const rows = await (trx ?? this.knex)<Row>('platforms')
      .where({ entity_id: entityId })
      .whereIn('kind', ['smsr', 'smdp']);
    return (rows as Row[]).map(toPlatform).filter((p): p is Platform => p !== undefined);
  }

  /** The eUICC's stack and SM-SR platform id, or undefined when the EID is unknown. */
  async euicc(
    eid: string,
    trx?: Knex.Transaction,
    opts: { lock?: boolean } = {},
  ): Promise<{ stack: string; smsrId: string | null } | undefined> {
    const q = (trx ?? this.knex)('euiccs').where({ eid });
    const row = await (opts.lock ? q.forUpdate() : q).first<
      { stack: string; smsr_id: string | null } | undefined
    >('stack', 'smsr_id');
    return row ? { stack: row.stack, smsrId: row.smsr_id } : undefined;
  }

  /** The SM-DP to download from when the operation names none: the only one, if there is one. */
  async defaultSmdp(trx?: Knex.Transaction): Promise<Platform | undefined> {
    const rows = await (trx ?? this.knex)<Row>('platforms').where({ kind: 'smdp' }).limit(2);
    return rows.length === 1 ? toPlatform(rows[0] as Row) : undefined;
  }

  /**
   * The SM-DP platforms holding the eUICC's profiles (not deleted), or the one profile's: where an
   * operation routed over ES2 goes.
   */
  async smdpIdsOf(eid: string, iccid?: string, trx?: Knex.Transaction): Promise<string[]> {
    const rows = await (trx ?? this.knex)('profiles')
      .where({ eid, ...(iccid ? { iccid } : {}) })
      .whereNotIn('state', ['deleted', 'available'])
      .whereNotNull('platform_id')
      .distinct('platform_id');
    return (rows as { platform_id: string }[]).map((r) => r.platform_id);
  }

  /** Whether the profile is already known on this eUICC (not deleted). */
  async hasProfile(eid: string, iccid: string, trx?: Knex.Transaction): Promise<boolean> {
    const row = await (trx ?? this.knex)('profiles')
      .where({ eid, iccid })
      .whereNotIn('state', ['deleted', 'available'])
      .first('iccid');
    return row !== undefined;
  }
}

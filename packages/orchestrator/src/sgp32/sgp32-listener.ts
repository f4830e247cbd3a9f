import { decode, GetEimPackageResponse, type EuiccResultData, type Psmo, type ProfileInfo } from '@esim/asn1';
import { iccidFromBytes, toHex, type Eim, type EimEvent, type EimListener } from '@esim/eim';
import type { Logger } from 'pino';
import type { InventoryObservations, ProfileSnapshot } from '../inventory/observations.js';
import type { OperationOutcomes } from '../operations/outcomes.js';

const ACTOR = 'stack:sgp32';
/** PSMOs whose success changes a profile's state: the PSMO, its result, the state it leads to. */
const stateChanges = [
  ['enable', 'enableResult', 'enabled'],
  ['disable', 'disableResult', 'disabled'],
  ['delete', 'deleteResult', 'deleted'],
] as const;
const profileClasses = ['test', 'provisioning', 'operational'] as const;

function snapshotOf(p: ProfileInfo): ProfileSnapshot | undefined {
  if (!p.iccid) return undefined;
  return {
    iccid: iccidFromBytes(p.iccid),
    state: p.profileState === 1 ? 'enabled' : 'disabled',
    fallback: p.fallbackAttribute,
    ...(p.isdpAid ? { isdpAid: toHex(p.isdpAid) } : {}),
    ...(p.profileClass !== undefined && profileClasses[p.profileClass]
      ? { profileClass: profileClasses[p.profileClass] }
      : {}),
  };
}

/**
 * A device whose eUICC changed on its own (fallback, local enable) gets its profile list read in
 * the same poll (the package is queued before the poll looks at the queue): the inventory follows
 * without waiting for an operation.
 */
export function readProfilesAgain(eim: Eim, eid: string): Promise<unknown> {
  return eim.queueEuiccPackage({ eid, euiccPackage: { psmoList: [{ listProfileInfo: {} }] } });
}

/**
 * Turns what the eIM verified into the product's facts: the end of the operation that asked
 * (OperationOutcomes, by eimTransactionId) and what changed on the eUICC (InventoryObservations).
 * Both are idempotent, as the eIM's listener contract requires.
 */
export class Sgp32Listener implements EimListener {
  constructor(
    private readonly outcomes: OperationOutcomes,
    private readonly observations: InventoryObservations,
    private readonly logger: Logger,
    /** Reads the eUICC's profiles again (the device said its state changed on its own). */
    private readonly resync?: (eid: string) => Promise<unknown>,
  ) {}

  async onEvent(e: EimEvent): Promise<void> {
    switch (e.type) {
      case 'packageCompleted': {
        const reason = { eimTransactionId: e.package.eimTransactionId, operationId: e.package.requestedBy };
        if (e.results) await this.observeResults(e.eid, e.package.body, e.results, reason);
        if (e.installedIccid)
          await this.observe(() =>
            this.observations.profileInstalled({
              actor: ACTOR,
              reason,
              eid: e.eid,
              iccid: e.installedIccid!,
              state: 'disabled',
            }),
          );
        if (e.package.requestedBy)
          await this.outcomes.report({
            stack: 'sgp32',
            correlationId: e.package.eimTransactionId,
            outcome: e.outcome,
            actor: ACTOR,
            reason,
            ...(e.error ? { error: e.error } : {}),
            ...(e.results || e.installedIccid
              ? {
                  result: {
                    ...(e.installedIccid ? { iccid: e.installedIccid } : {}),
                    ...(e.results ? { euiccResult: e.results.map((r) => Object.keys(r)[0]) } : {}),
                  },
                }
              : {}),
          });
        return;
      }
      case 'packageExpired':
        if (e.package.requestedBy)
          await this.outcomes.report({
            stack: 'sgp32',
            correlationId: e.package.eimTransactionId,
            outcome: 'expired',
            actor: ACTOR,
            reason: { eimTransactionId: e.package.eimTransactionId },
          });
        return;
      case 'notification': {
        if (!e.iccid) return;
        const o = { actor: ACTOR, reason: { notification: e.seqNumber }, eid: e.eid, iccid: e.iccid };
        await this.observe(() =>
          e.operation === 'install'
            ? this.observations.profileInstalled({ ...o, state: 'disabled' })
            : this.observations.profileStateChanged({
                ...o,
                state:
                  e.operation === 'enable' ? 'enabled' : e.operation === 'disable' ? 'disabled' : 'deleted',
              }),
        );
        return;
      }
      case 'stateChanged':
        this.logger.info({ eid: e.eid, cause: e.cause }, 'the IPA reports a state change of its eUICC');
        await this.resync?.(e.eid);
        return;
    }
  }

  /** Each PSMO the eUICC executed changes the inventory, even when a later one of the package failed. */
  private async observeResults(
    eid: string,
    body: Uint8Array,
    results: EuiccResultData[],
    reason: Record<string, unknown>,
  ) {
    const psmos: Psmo[] =
      decode(GetEimPackageResponse, body).euiccPackageRequest?.euiccPackageSigned.euiccPackage.psmoList ?? [];
    for (const [i, r] of results.entries()) {
      const psmo = psmos[i];
      const o = { actor: ACTOR, reason, eid };
      const changed = stateChanges.find(([op, result]) => psmo?.[op] && r[result] === 0);
      if (changed) {
        const [op, , state] = changed;
        await this.observe(() =>
          this.observations.profileStateChanged({ ...o, iccid: iccidFromBytes(psmo![op]!.iccid), state }),
        );
      } else if (psmo?.setFallbackAttribute && r.setFallbackAttributeResult === 0)
        await this.observe(() =>
          this.observations.fallbackChanged({
            ...o,
            iccid: iccidFromBytes(psmo.setFallbackAttribute!.iccid),
            fallback: true,
          }),
        );
      else if (r.listProfileInfoResult?.profileInfoListOk) {
        const profiles = r.listProfileInfoResult.profileInfoListOk
          .map(snapshotOf)
          .filter((p) => p !== undefined);
        await this.observe(() => this.observations.euiccAudited({ ...o, profiles }));
      }
    }
  }

  /**
   * An observation the inventory cannot take (an eUICC the product does not know) must not stop
   * the device's result from being acknowledged: it is logged, the operation still ends.
   */
  private async observe(f: () => Promise<unknown>): Promise<void> {
    try {
      await f();
    } catch (err) {
      this.logger.error({ err }, 'SGP.32 observation not applied to the inventory');
    }
  }
}

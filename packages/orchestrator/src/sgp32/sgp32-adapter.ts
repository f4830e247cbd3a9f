import { fromJson, EimConfigurationData, type EuiccPackage, type Psmo } from '@esim/asn1';
import { EimRequestError, iccidToBytes, type Eim } from '@esim/eim';
import type { Knex } from 'knex';
import type { OperationType } from '../operations/vocabulary.js';
import type { DispatchOutcome, DispatchRequest, StackAdapter, Support } from '../stacks/stack-adapter.js';

/** What SGP.32 has no function for, and why (the adapter refuses these with the reason). */
const unsupported: Partial<Record<OperationType, string>> = {
  setEmergency: 'SGP.32 has no PSMO to set an emergency profile attribute',
  unsetEmergency: 'SGP.32 has no PSMO to unset an emergency profile attribute',
  updateSubscriptionAddress: 'SGP.32 has no function to update a subscription address (SGP.02 ES4 only)',
  updatePolicyRules: 'SGP.32 has no POL2 update (profile policy rules come with the profile)',
  smsrChange: 'SGP.32 devices have no SM-SR; use eimChange',
};

const onIccid = (p: Record<string, unknown>) => ({ iccid: iccidToBytes(p.iccid as string) });

/** The PSMOs of each operation (SGP.32 2.11.1.1). */
const psmos: Partial<Record<OperationType, (p: Record<string, unknown>) => Psmo[]>> = {
  enable: (p) => [{ enable: onIccid(p) }],
  disable: (p) => [{ disable: onIccid(p) }],
  delete: (p) => [{ delete: onIccid(p) }],
  audit: () => [{ listProfileInfo: {} }],
  setFallback: (p) => [{ setFallbackAttribute: onIccid(p) }],
  unsetFallback: () => [{ unsetFallbackAttribute: {} }],
};

/**
 * The SGP.32 stack as the operation queue sees it: operations become eUICC packages (PSMOs,
 * eCOs) or download triggers queued in the eIM for the device's next poll. Always 'sent': the
 * outcome arrives with the device's signed result, correlated by eimTransactionId (hex).
 */
export class Sgp32StackAdapter implements StackAdapter {
  readonly stack = 'sgp32' as const;

  constructor(
    /** The eIM behind the stack, for what the vocabulary does not name (eCOs of their own, data requests). */
    readonly eim: Eim,
    private readonly knex: Knex,
  ) {}

  supports(type: OperationType): Support {
    const reason = unsupported[type];
    return reason ? { supported: false, reason } : { supported: true };
  }

  async dispatch(r: DispatchRequest): Promise<DispatchOutcome> {
    const support = this.supports(r.type);
    if (!support.supported)
      return { status: 'failed', retryable: false, error: { code: 'unsupported', message: support.reason } };
    const common = { eid: r.eid, requestedBy: r.operationId, validUntil: r.validUntil };
    try {
      if (r.type === 'download') {
        const code = r.params.activationCode as string | undefined;
        const q = await this.eim.queueProfileDownloadTrigger({
          ...common,
          profileDownloadData: code ? { activationCode: code } : { contactDefaultSmdp: null },
        });
        return { status: 'sent', correlationId: q.eimTransactionId };
      }
      const euiccPackage =
        r.type === 'eimChange'
          ? await this.eimChange(r.params.targetEimId as string)
          : { psmoList: psmos[r.type]!(r.params) };
      if (!euiccPackage)
        return {
          status: 'failed',
          retryable: false,
          error: {
            code: 'unknownEim',
            message: `no eIM platform with eimId ${String(r.params.targetEimId)} and its EimConfigurationData`,
          },
        };
      const q = await this.eim.queueEuiccPackage({ ...common, euiccPackage });
      return { status: 'sent', correlationId: q.eimTransactionId };
    } catch (e) {
      if (e instanceof EimRequestError || e instanceof RangeError)
        return { status: 'failed', retryable: false, error: { code: 'invalidRequest', message: e.message } };
      throw e;
    }
  }

  /**
   * eCO addEim of the target eIM (its EimConfigurationData, as JSON, in the metadata of its
   * `platforms` row of kind 'eim'), then deleteEim of ours, in one package.
   */
  private async eimChange(targetEimId: string): Promise<EuiccPackage | undefined> {
    const row = (await this.knex('platforms')
      .where({ kind: 'eim', entity_id: targetEimId })
      .first('metadata')) as { metadata: { eimConfigurationData?: unknown } } | undefined;
    if (!row?.metadata.eimConfigurationData) return undefined;
    const target = fromJson(EimConfigurationData, row.metadata.eimConfigurationData);
    return { ecoList: [{ addEim: target }, { deleteEim: { eimId: this.eim.eimId } }] };
  }
}

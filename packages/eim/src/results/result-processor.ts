import {
  derOf,
  encode,
  EuiccPackageErrorCode,
  schema,
  type IpaEuiccData,
  type EimPackageResult,
  type EuiccPackageResult,
  type IpaEuiccDataResponse,
  type PendingNotification,
  type ProfileDownloadTriggerResult,
} from '@esim/asn1';
import { eidOfCertificate } from '../crypto/euicc-chain.js';
import type { Eim } from '../eim.js';
import { EimRejection, rejectionRecord } from '../errors.js';
import type { NotifiedOperation } from '../events.js';
import { fromHex, iccidFromBytes, toHex } from '../identifiers.js';
import { tagList } from '../packages/package-builder.js';
import type { EimPackage, EimPackageState } from '../store/eim-store.js';
import { verdictOf } from './result-codes.js';

const AssociationTokenTlv = schema.tag(4, schema.integer());

const concat = (a: Uint8Array, b: Uint8Array) => {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
};

function signedBytes(value: object): Uint8Array {
  const der = derOf(value);
  // Values decoded from the wire always have their bytes; a re-encoding would not be what was signed.
  if (!der) throw new EimRejection('malformed', 'signed data without its received encoding');
  return der;
}

const operations: Record<string, NotifiedOperation> = {
  notificationInstall: 'install',
  notificationEnable: 'enable',
  notificationDisable: 'disable',
  notificationDelete: 'delete',
};

/** An eUICC package whose result is being fetched from the eUICC's list (see recoveredResult). */
const inRecovery = (pkg: EimPackage): boolean => pkg.handout !== null;

/**
 * Verifies what a device returns (eUICC package results, eUICC data, download results,
 * notifications) against the package it answers and the eUICC's certificate chain, then reports
 * it. Every check failure is an EimRejection; nothing is reported or stored for it.
 * Returns the sequence numbers the eIM acknowledges.
 */
export class ResultProcessor {
  constructor(private readonly eim: Eim) {}

  private async packageFor(
    txid: Uint8Array | undefined,
    kind: EimPackage['kind'] | readonly EimPackage['kind'][],
    eid?: string,
  ): Promise<EimPackage> {
    const kinds: readonly EimPackage['kind'][] = typeof kind === 'string' ? [kind] : kind;
    if (!txid) throw new EimRejection('mismatch', 'the result carries no eimTransactionId', { eid });
    const eimTransactionId = toHex(txid);
    const pkg = await this.eim.store.findByTransaction(eimTransactionId);
    if (!pkg)
      throw new EimRejection('unknownTransaction', `no package with eimTransactionId ${eimTransactionId}`, {
        eid,
        eimTransactionId,
      });
    const ctx = { eid: pkg.eid, eimTransactionId };
    if (eid !== undefined && pkg.eid !== eid)
      throw new EimRejection('mismatch', `eimTransactionId ${eimTransactionId} belongs to another EID`, {
        eid,
        eimTransactionId,
      });
    if (!kinds.includes(pkg.kind))
      throw new EimRejection(
        'mismatch',
        `eimTransactionId ${eimTransactionId} is a ${pkg.kind}, not a ${kinds.join(' or ')}`,
        ctx,
      );
    if (pkg.state === 'done' || pkg.state === 'failed')
      throw new EimRejection(
        'replayed',
        `package ${eimTransactionId} already has its result (${pkg.state})`,
        ctx,
      );
    if (pkg.state === 'pending')
      throw new EimRejection('mismatch', `package ${eimTransactionId} was never delivered`, ctx);
    return pkg;
  }

  private async certificateOf(eid: string, ctx: { eimTransactionId?: string } = {}): Promise<Uint8Array> {
    const c = await this.eim.store.getCertificates(eid);
    if (!c)
      throw new EimRejection('unknownEuiccCertificate', `the eUICC certificate of ${eid} is not known yet`, {
        eid,
        ...ctx,
      });
    return c.euiccCertificate;
  }

  private async verify(
    eid: string,
    data: Uint8Array,
    signature: Uint8Array,
    what: string,
    ctx: { eimTransactionId?: string } = {},
  ) {
    const cert = await this.certificateOf(eid, ctx);
    if (!(await this.eim.verifier.verifySignature(cert, signature, data)))
      throw new EimRejection('badSignature', `${what} does not verify with the eUICC certificate of ${eid}`, {
        eid,
        ...ctx,
      });
  }

  private async finish(
    pkg: EimPackage,
    outcome: 'succeeded' | 'failed',
    details: Omit<
      Extract<Parameters<Eim['emit']>[0], { type: 'packageCompleted' }>,
      'type' | 'eid' | 'package' | 'outcome'
    >,
    from: readonly EimPackageState[] = ['delivered', 'expired'],
  ): Promise<void> {
    // Reported first (idempotently), then closed: a crash in between makes the device's retry report it again.
    await this.eim.emit({ type: 'packageCompleted', eid: pkg.eid, package: pkg, outcome, ...details });
    await this.eim.store.complete(pkg.id, from, outcome === 'succeeded' ? 'done' : 'failed', {
      outcome,
      ...(details.error ? { error: details.error } : {}),
      ...(details.installedIccid ? { installedIccid: details.installedIccid } : {}),
    });
  }

  async eimPackageResult(r: EimPackageResult, eid?: string): Promise<number[]> {
    if (r.euiccPackageResult) return this.euiccPackageResult(r.euiccPackageResult, eid);
    if (r.ePRAndNotifications) {
      const acks = await this.euiccPackageResult(r.ePRAndNotifications.euiccPackageResult, eid);
      for (const n of r.ePRAndNotifications.notificationList)
        acks.push(...(await this.notificationOrRecord(n, eid)));
      return acks;
    }
    if (r.ipaEuiccDataResponse) return this.ipaEuiccDataResponse(r.ipaEuiccDataResponse, eid);
    if (r.profileDownloadTriggerResult)
      return this.profileDownloadTriggerResult(r.profileDownloadTriggerResult, eid);
    const e = r.eimPackageResultResponseError;
    if (e) {
      const pkg = e.eimTransactionId
        ? await this.eim.store.findByTransaction(toHex(e.eimTransactionId))
        : eid
          ? (await this.eim.store.listPackages(eid)).find((p) => p.state === 'delivered')
          : undefined;
      if (
        !pkg ||
        (eid !== undefined && pkg.eid !== eid) ||
        (pkg.state !== 'delivered' && pkg.state !== 'expired')
      )
        throw new EimRejection(
          'unknownTransaction',
          'eimPackageResultResponseError for no package in flight',
          { eid },
        );
      await this.finish(pkg, 'failed', {
        error: {
          code: `eimPackageResultErrorCode=${e.eimPackageResultErrorCode}`,
          message: 'the IPA refused the package',
        },
      });
      return [];
    }
    throw new EimRejection('malformed', 'unknown EimPackageResult alternative', { eid });
  }

  async euiccPackageResult(r: EuiccPackageResult, eid?: string): Promise<number[]> {
    const u = r.euiccPackageErrorUnsigned;
    if (u) {
      if (u.eimId !== this.eim.eimId)
        throw new EimRejection('mismatch', `result is for eIM "${u.eimId}"`, { eid });
      const pkg = await this.packageFor(u.eimTransactionId, 'euiccPackage', eid);
      // Unsigned: it cannot change the inventory, only end the operation as failed.
      await this.finish(pkg, 'failed', {
        error: {
          code: 'euiccPackageErrorUnsigned',
          message: 'the eUICC refused the package without signing',
        },
      });
      return [];
    }
    const signed = r.euiccPackageResultSigned
      ? {
          data: r.euiccPackageResultSigned.euiccPackageResultDataSigned,
          sig: r.euiccPackageResultSigned.euiccSignEPR,
        }
      : r.euiccPackageErrorSigned
        ? {
            data: r.euiccPackageErrorSigned.euiccPackageErrorDataSigned,
            sig: r.euiccPackageErrorSigned.euiccSignEPE,
          }
        : undefined;
    if (!signed) throw new EimRejection('malformed', 'unknown EuiccPackageResult alternative', { eid });
    const { data } = signed;
    if (data.eimId !== this.eim.eimId)
      throw new EimRejection('mismatch', `result is for eIM "${data.eimId}"`, { eid });
    const pkg = await this.packageFor(data.eimTransactionId, 'euiccPackage', eid);
    const ctx = { eimTransactionId: pkg.eimTransactionId };
    if (data.counterValue !== pkg.counterValue)
      throw new EimRejection(
        'mismatch',
        `counterValue ${data.counterValue} is not the package's ${pkg.counterValue}`,
        { eid: pkg.eid, ...ctx },
      );
    const token = (await this.eim.store.getAssociation(this.eim.eimId, pkg.eid))?.associationToken;
    const tbs =
      token == null ? signedBytes(data) : concat(signedBytes(data), encode(AssociationTokenTlv, token));
    await this.verify(pkg.eid, tbs, signed.sig, 'euiccSignEPR/EPE', ctx);
    if ('euiccResult' in data) {
      const verdicts = data.euiccResult.map(verdictOf);
      const failed = verdicts.filter((v) => !v.ok);
      // A successful rollbackResult after an enable means the device could not connect with the
      // new profile and the eUICC went back to the previous one: the package's effect is undone.
      const rolledBack = data.euiccResult.some((r) => r.rollbackResult === 0);
      await this.finish(pkg, failed.length || rolledBack ? 'failed' : 'succeeded', {
        results: data.euiccResult,
        ...(failed.length
          ? {
              error: {
                code: failed.map((f) => f.code).join(','),
                message: 'the eUICC did not execute every operation',
              },
            }
          : rolledBack
            ? {
                error: {
                  code: 'rollbackResult=0',
                  message:
                    'the eUICC enabled the profile, then rolled back to the previous one (the device could not connect with it)',
                },
              }
            : {}),
      });
      return [data.seqNumber];
    }
    if (
      data.euiccPackageErrorCode === EuiccPackageErrorCode.values.replayError &&
      pkg.state === 'delivered'
    ) {
      // The eUICC executed this very package before (its result was lost or refused on the way):
      // the result waits in the eUICC's list, so the package in flight becomes a request for it.
      const recovery = this.eim.builder.ipaEuiccDataRequest(fromHex(pkg.eimTransactionId), {
        tagList: tagList(['euiccPackageResultList']),
      });
      if (await this.eim.store.recoverInFlight(pkg.id, recovery)) return [];
    }
    await this.finish(pkg, 'failed', {
      error: {
        code: `euiccPackageErrorCode=${data.euiccPackageErrorCode}`,
        message: 'the eUICC refused the package',
      },
    });
    return [];
  }

  async ipaEuiccDataResponse(r: IpaEuiccDataResponse, eid?: string): Promise<number[]> {
    const e = r.ipaEuiccDataResponseError;
    if (e) {
      const pkg = await this.packageFor(e.eimTransactionId, 'ipaEuiccData', eid);
      await this.finish(pkg, 'failed', {
        error: {
          code: `ipaEuiccDataErrorCode=${e.ipaEuiccDataErrorCode}`,
          message: 'the IPA could not provide the eUICC data',
        },
      });
      return [];
    }
    const data = r.ipaEuiccData;
    if (!data) throw new EimRejection('malformed', 'unknown IpaEuiccDataResponse alternative', { eid });
    const pkg = await this.packageFor(data.eimTransactionId, ['ipaEuiccData', 'euiccPackage'], eid);
    if (pkg.kind === 'euiccPackage') return this.recoveredResult(pkg, data);
    if (data.euiccCertificate || data.eumCertificate) {
      if (!data.euiccCertificate || !data.eumCertificate)
        throw new EimRejection('badCertificate', 'the eUICC and EUM certificates come together', {
          eid: pkg.eid,
        });
      await this.eim.verifier
        .verifyChain(pkg.eid, data.euiccCertificate, data.eumCertificate)
        .catch(async (e: unknown) => {
          if (e instanceof EimRejection) await this.abandon(pkg.eid, e);
          throw e;
        });
      await this.eim.store.saveCertificates(pkg.eid, {
        euiccCertificate: data.euiccCertificate,
        eumCertificate: data.eumCertificate,
      });
    }
    if (data.associationToken !== undefined)
      await this.eim.store.setAssociationToken(this.eim.eimId, pkg.eid, data.associationToken);
    const acks: number[] = [];
    for (const n of data.notificationsList ?? []) acks.push(...(await this.notificationOrRecord(n, pkg.eid)));
    acks.push(...(await this.storedResults(data, pkg.eid)));
    await this.finish(pkg, 'succeeded', { euiccData: data });
    return acks;
  }

  /**
   * An eUICC whose certificates do not verify can never have a result accepted: everything waiting
   * for it fails now, with the reason, instead of waiting for its validity to end.
   */
  private async abandon(eid: string, why: EimRejection): Promise<void> {
    for (const p of await this.eim.store.listPackages(eid))
      if (p.state === 'pending' || p.state === 'delivered')
        await this.finish(p, 'failed', { error: { code: why.reason, message: why.message } }, [
          'pending',
          'delivered',
        ]);
  }

  /** The EuiccPackageResults the eUICC kept (IpaEuiccData A2), each verified and applied on its own. */
  private async storedResults(data: IpaEuiccData, eid: string): Promise<number[]> {
    const acks: number[] = [];
    for (const epr of data.euiccPackageResultList ?? [])
      acks.push(
        ...(await this.orRecord(() => this.euiccPackageResult(epr, eid), eid, 'ProvideEimPackageResult')),
      );
    return acks;
  }

  /** The answer to a recovery request: the eUICC's stored results, the package's own among them. */
  private async recoveredResult(pkg: EimPackage, data: IpaEuiccData): Promise<number[]> {
    if (!inRecovery(pkg))
      throw new EimRejection('mismatch', `eimTransactionId ${pkg.eimTransactionId} is an eUICC package`, {
        eid: pkg.eid,
        eimTransactionId: pkg.eimTransactionId,
      });
    const acks = await this.storedResults(data, pkg.eid);
    const after = await this.eim.store.findByTransaction(pkg.eimTransactionId);
    if (after?.state === 'delivered')
      await this.finish(after, 'failed', {
        error: {
          code: 'resultLost',
          message: 'the eUICC executed the package but no longer holds its result',
        },
      });
    return acks;
  }

  async profileDownloadTriggerResult(r: ProfileDownloadTriggerResult, eid?: string): Promise<number[]> {
    const pkg = await this.packageFor(r.eimTransactionId, 'profileDownloadTrigger', eid);
    const d = r.profileDownloadTriggerResultData;
    if (d.profileDownloadError) {
      await this.finish(pkg, 'failed', {
        error: {
          code: `profileDownloadErrorReason=${d.profileDownloadError.profileDownloadErrorReason}`,
          message: 'the profile download failed',
        },
      });
      return [];
    }
    const pir = d.profileInstallationResult;
    if (!pir)
      throw new EimRejection('malformed', 'unknown ProfileDownloadTriggerResult alternative', { eid });
    const resultData = pir.profileInstallationResultData;
    await this.verify(pkg.eid, signedBytes(resultData), pir.euiccSignPIR, 'euiccSignPIR', {
      eimTransactionId: pkg.eimTransactionId,
    });
    const iccid = resultData.notificationMetadata.iccid;
    const failure = resultData.finalResult.errorResult;
    if (!failure) {
      await this.finish(pkg, 'succeeded', iccid ? { installedIccid: iccidFromBytes(iccid) } : {});
    } else {
      await this.finish(pkg, 'failed', {
        error: { code: `errorReason=${failure.errorReason}`, message: 'the profile installation failed' },
      });
    }
    return [resultData.notificationMetadata.seqNumber];
  }

  /** A notification; returns its sequence number to acknowledge (also for a replay, which is recorded and not applied). */
  async notification(n: PendingNotification, eidHint?: string): Promise<number[]> {
    let eid = eidHint;
    let meta;
    const o = n.otherSignedNotification;
    const c = n.compactOtherSignedNotification;
    const pir = n.profileInstallationResult;
    if (o) {
      const certEid = eidOfCertificate(o.euiccCertificate);
      if (!certEid)
        throw new EimRejection('badCertificate', 'the notification certificate names no EID', { eid });
      if (eid !== undefined && certEid !== eid)
        throw new EimRejection('mismatch', `notification signed by ${certEid}`, { eid });
      eid = certEid;
      await this.eim.verifier.verifyChain(eid, o.euiccCertificate, o.eumCertificate);
      if (
        !(await this.eim.verifier.verifySignature(
          o.euiccCertificate,
          o.euiccNotificationSignature,
          signedBytes(o.tbsOtherNotification),
        ))
      )
        throw new EimRejection(
          'badSignature',
          `notification does not verify with the eUICC certificate of ${eid}`,
          { eid },
        );
      meta = o.tbsOtherNotification;
    } else if (c) {
      if (c.eidValue) eid = toHex(c.eidValue);
      if (!eid) throw new EimRejection('unknownEid', 'a compact notification without EID', {});
      await this.verify(
        eid,
        signedBytes(c.tbsOtherNotification),
        c.euiccNotificationSignature,
        'notification',
      );
      meta = c.tbsOtherNotification;
    } else if (pir) {
      const data = pir.profileInstallationResultData;
      // An indirect download names its eUICC through the relayed session of the SM-DP+'s transactionId.
      eid ??= (await this.eim.store.getRelaySession(toHex(data.transactionId)))?.eid ?? undefined;
      if (!eid)
        throw new EimRejection('unknownEid', 'a ProfileInstallationResult of no known session or EID', {});
      await this.verify(eid, signedBytes(data), pir.euiccSignPIR, 'euiccSignPIR');
      meta = data.notificationMetadata;
    } else {
      throw new EimRejection('malformed', 'unsupported notification form', { eid });
    }
    const bit = meta.profileManagementOperation.find((b) => typeof b === 'string' && b in operations) as
      string | undefined;
    if (!bit) throw new EimRejection('malformed', 'the notification names no profile operation', { eid });
    const operation = operations[bit]!;
    const iccid = meta.iccid ? iccidFromBytes(meta.iccid) : undefined;
    const fresh = await this.eim.store.recordNotification(eid, meta.seqNumber, operation, iccid ?? null);
    if (!fresh) {
      await this.eim.store.recordRejection(
        rejectionRecord(
          'HandleNotification',
          new EimRejection('replayed', `notification ${meta.seqNumber} was already received`, { eid }),
          eid,
          undefined,
        ),
      );
      return [meta.seqNumber];
    }
    await this.eim.emit({
      type: 'notification',
      eid,
      seqNumber: meta.seqNumber,
      operation,
      ...(iccid ? { iccid } : {}),
    });
    return [meta.seqNumber];
  }

  private notificationOrRecord(n: PendingNotification, eid?: string): Promise<number[]> {
    return this.orRecord(() => this.notification(n, eid), eid, 'HandleNotification');
  }

  /** For the parts of a bigger message: one bad part is recorded and skipped, the others still count. */
  private async orRecord(f: () => Promise<number[]>, eid: string | undefined, fn: string): Promise<number[]> {
    try {
      return await f();
    } catch (e) {
      if (!(e instanceof EimRejection)) throw e;
      await this.eim.store.recordRejection(rejectionRecord(fn, e, eid, undefined));
      return [];
    }
  }
}

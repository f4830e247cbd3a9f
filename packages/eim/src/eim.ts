import type {
  EimConfigurationData,
  EuiccPackage,
  IpaEuiccDataRequest,
  ProfileDownloadData,
} from '@esim/asn1';
import type { EimCredentials } from './crypto/eim-credentials.js';
import { eimConfigurationData } from './eim-configuration.js';
import type { EuiccChainVerifier } from './crypto/euicc-chain.js';
import type { EimEvent, EimListener } from './events.js';
import { isValidEid, toHex } from './identifiers.js';
import {
  newEimTransactionId,
  PackageBuilder,
  tagList,
  type IpaEuiccDataItem,
} from './packages/package-builder.js';
import type { EimPackage, EimStore, NewEimPackage } from './store/eim-store.js';

export interface EimOptions {
  eimId: string;
  /** Where IPAs reach us (eimFqdn of EimConfigurationData). */
  eimFqdn?: string;
  store: EimStore;
  credentials: EimCredentials;
  verifier: EuiccChainVerifier;
  listener?: EimListener;
  /** Told after something was queued for `eid`: a transport that can reach the device wakes it. */
  onQueued?: (eid: string) => void;
}

export interface QueueRequest {
  eid: string;
  /** Who asked: the operation id the result is reported to. */
  requestedBy?: string;
  validUntil?: Date | null;
}

export interface QueuedPackage {
  packageId: string;
  /** Hex; the correlation id of the operation. */
  eimTransactionId: string;
  counterValue: number | null;
}

/** A request the eIM refuses before queueing anything (bad EID, empty package...). */
export class EimRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EimRequestError';
  }
}

/**
 * The eIM's typed API for the product: queue eUICC packages, eUICC data requests and download
 * triggers for a device's next poll. Packages are signed (and their counterValue allocated in the
 * database) when queued, so what waits in the queue is exactly what the device will get.
 */
export class Eim {
  readonly eimId: string;
  readonly builder: PackageBuilder;
  constructor(readonly options: EimOptions) {
    this.eimId = options.eimId;
    this.builder = new PackageBuilder(options.eimId, options.credentials);
  }

  get store(): EimStore {
    return this.options.store;
  }

  get verifier(): EuiccChainVerifier {
    return this.options.verifier;
  }

  async emit(event: EimEvent): Promise<void> {
    await this.options.listener?.onEvent(event);
  }

  private checkEid(eid: string): void {
    if (!isValidEid(eid))
      throw new EimRequestError(`not a valid EID (32 digits, check digits mod 97): "${eid}"`);
  }

  /**
   * Makes sure the eIM will be able to verify the eUICC's signatures: when its certificates are
   * unknown, an IpaEuiccDataRequest for them goes first in the queue (docs/INTERPRETATION.md,
   * "How the eIM learns the eUICC certificate").
   */
  private async ensureCertificates(r: QueueRequest): Promise<void> {
    if (await this.store.getCertificates(r.eid)) return;
    const waiting = await this.store.listPackages(r.eid);
    if (waiting.some((p) => p.kind === 'ipaEuiccData' && (p.state === 'pending' || p.state === 'delivered')))
      return;
    await this.queueIpaEuiccDataRequest({
      eid: r.eid,
      validUntil: r.validUntil,
      items: ['euiccCertificate', 'eumCertificate', 'associationToken'],
    });
  }

  async queueEuiccPackage(r: QueueRequest & { euiccPackage: EuiccPackage }): Promise<QueuedPackage> {
    this.checkEid(r.eid);
    const ops = 'psmoList' in r.euiccPackage ? r.euiccPackage.psmoList : r.euiccPackage.ecoList;
    if (!ops || ops.length === 0)
      throw new EimRequestError('an eUICC package needs at least one PSMO or eCO');
    await this.ensureCertificates(r);
    const id = newEimTransactionId();
    const p = await this.store.enqueueWithCounter(this.eimId, r.eid, async (counterValue) =>
      this.newPackage(
        r,
        'euiccPackage',
        id,
        counterValue,
        await this.builder.euiccPackage(r.eid, counterValue, id, r.euiccPackage),
      ),
    );
    this.options.onQueued?.(r.eid);
    return { packageId: p.id, eimTransactionId: p.eimTransactionId, counterValue: p.counterValue };
  }

  async queueIpaEuiccDataRequest(
    r: QueueRequest & {
      items: readonly IpaEuiccDataItem[];
      searchCriteriaNotification?: IpaEuiccDataRequest['searchCriteriaNotification'];
    },
  ): Promise<QueuedPackage> {
    this.checkEid(r.eid);
    if (r.items.length === 0) throw new EimRequestError('an IpaEuiccDataRequest needs at least one item');
    const id = newEimTransactionId();
    const body = this.builder.ipaEuiccDataRequest(id, {
      tagList: tagList(r.items),
      ...(r.searchCriteriaNotification ? { searchCriteriaNotification: r.searchCriteriaNotification } : {}),
    });
    return this.enqueue(r, 'ipaEuiccData', id, null, body);
  }

  async queueProfileDownloadTrigger(
    r: QueueRequest & { profileDownloadData: ProfileDownloadData },
  ): Promise<QueuedPackage> {
    this.checkEid(r.eid);
    await this.ensureCertificates(r);
    const id = newEimTransactionId();
    const body = this.builder.profileDownloadTrigger(id, { profileDownloadData: r.profileDownloadData });
    return this.enqueue(r, 'profileDownloadTrigger', id, null, body);
  }

  private async enqueue(
    r: QueueRequest,
    kind: EimPackage['kind'],
    id: Uint8Array,
    counterValue: number | null,
    body: Uint8Array,
  ): Promise<QueuedPackage> {
    // Whatever is queued for an eUICC makes it one of ours: its polls are answered from now on.
    await this.store.associate(this.eimId, r.eid);
    const p = await this.store.enqueue(this.newPackage(r, kind, id, counterValue, body));
    this.options.onQueued?.(r.eid);
    return { packageId: p.id, eimTransactionId: p.eimTransactionId, counterValue };
  }

  private newPackage(
    r: QueueRequest,
    kind: EimPackage['kind'],
    id: Uint8Array,
    counterValue: number | null,
    body: Uint8Array,
  ): NewEimPackage {
    return {
      eid: r.eid,
      eimId: this.eimId,
      kind,
      eimTransactionId: toHex(id),
      counterValue,
      body,
      requestedBy: r.requestedBy ?? null,
      validUntil: r.validUntil ?? null,
    };
  }

  /** Expires what waited past its validity on every EID and reports it. */
  async expireDue(): Promise<EimPackage[]> {
    const expired = await this.store.expireDue();
    for (const p of expired) await this.emit({ type: 'packageExpired', eid: p.eid, package: p });
    return expired;
  }

  /** The EimConfigurationData of this eIM (docs in eim-configuration.ts). */
  configurationData(counterValue = 0): EimConfigurationData {
    return eimConfigurationData(
      { eimId: this.eimId, eimFqdn: this.options.eimFqdn, certificate: this.options.credentials.certificate },
      counterValue,
    );
  }
}

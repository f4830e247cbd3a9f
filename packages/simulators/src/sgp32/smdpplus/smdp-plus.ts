/**
 * A simulated SM-DP+ at the ES9+ level (SGP.22 v2.5 5.6), transport-free: typed requests in,
 * typed responses out, or DER RemoteProfileProvisioningRequest in and DER response out (`handle`).
 * It authenticates the eUICC (certificate chain to its CI, signatures), binds a stored
 * unprotected profile package to the eUICC's one-time key, and records notifications. Sessions
 * live in memory: a restarted SM-DP+ has forgotten them, as the download order states allow.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  Asn1DecodeError,
  ConfigureISDPRequest,
  decode,
  derOf,
  encode,
  RSPDefinitions,
  SmdpSigned2,
  type ValueOf,
  type AuthenticateClientResponseEs9,
  type CancelSessionRequestEs9,
  type CancelSessionResponseEs9,
  type GetBoundProfilePackageRequest,
  type GetBoundProfilePackageResponse,
  type HandleNotification,
  type InitiateAuthenticationRequest,
  type InitiateAuthenticationResponse,
  type ServerSigned1,
} from '@esim/asn1';
import { bindProfilePackage } from '../bsp/bound-profile-package.js';
import { BspSession } from '../bsp/bsp-session.js';
import { BSP_KEY_LENGTH, BSP_KEY_TYPE, deriveBspKeys, ecka, oneTimeKeyPair } from '../bsp/session-keys.js';
import { chained, smdpSignData, unsignedInitialiseSecureChannel } from '../bsp/signed-data.js';
import { signPlain, verifyPlain, publicKeyFromCertificate } from '../euicc/signing.js';
import { checkEuiccChain } from '../pki/certificate-chain.js';
import { iccidToBytes, iccidWithCheckDigit } from '../pki/iccid.js';
import type { SmdpCredentials } from '../pki/smdp-credentials.js';
import { withIccid } from '../saip/personalise.js';
import type { ProfilePackage } from './profile-store.js';

const { RemoteProfileProvisioningRequest, RemoteProfileProvisioningResponse } = RSPDefinitions;
/** authenticateClientError / getBoundProfilePackageError numbers of RSPDefinitions (ES9+). */
const AuthClientError = {
  eumCertificateInvalid: 1,
  eumCertificateExpired: 2,
  euiccCertificateInvalid: 3,
  euiccCertificateExpired: 4,
  euiccSignatureInvalid: 5,
  matchingIdRefused: 6,
  noEligibleProfile: 8,
  ciPKUnknown: 9,
  invalidTransactionId: 10,
  undefinedError: 127,
} as const;
const BppError = { euiccSignatureInvalid: 1, invalidTransactionId: 95, undefinedError: 127 } as const;

type AuthenticateClientRequest = ValueOf<typeof RSPDefinitions.AuthenticateClientRequest>;
type RemoteProfileProvisioningResponse = ValueOf<typeof RemoteProfileProvisioningResponse>;

const hexOf = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();
const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;

/** A request body that is not a RemoteProfileProvisioningRequest. */
export class Es9RequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Es9RequestError';
  }
}

interface RspSession {
  transactionId: Uint8Array;
  serverChallenge: Uint8Array;
  state: 'initiated' | 'authenticated' | 'bound';
  eid?: string;
  profile?: ProfilePackage;
  euiccCertificate?: Uint8Array;
  smdpSignature2?: Uint8Array;
}

export interface SmdpPlusOptions {
  /** The SM-DP+ address (FQDN[:port]) of its activation codes and serverSigned1. */
  address: string;
  credentials: SmdpCredentials;
  profiles: ProfilePackage[];
  /** The hostId of the BSP key derivation (SGP.22 2.6.4.2), at most 16 bytes. */
  hostId?: string;
  /**
   * Each eUICC gets its own ICCID for a matching ID (derived from its EID), written into the
   * package: a fleet can install one test profile without two cards sharing an ICCID.
   */
  uniqueIccids?: boolean;
  /** "Now" of the certificate validity checks and the download records; default the system clock. */
  clock?: () => Date;
}

export interface DownloadRecord {
  transactionId: string;
  eid: string;
  matchingId: string;
  iccid: string;
  at: string;
}

/**
 * The package for one eUICC: the issuer digits of its ICCID (89 + country + issuer, 7 digits),
 * 12 digits from a hash of EID and matching ID, and the Luhn digit; the same card always gets
 * the same ICCID.
 */
function personalised(profile: ProfilePackage, eid: string): ProfilePackage {
  const hash = createHash('sha256').update(`${eid}$${profile.matchingId}`).digest();
  const digits = (hash.readBigUInt64BE(0) % 10n ** 12n).toString().padStart(12, '0');
  const iccid = iccidWithCheckDigit(profile.iccid.slice(0, 7) + digits);
  return { ...profile, iccid, upp: withIccid(profile.upp, profile.iccid, iccid) };
}

export class SmdpPlus {
  readonly address: string;
  /** Profiles bound so far (one per GetBoundProfilePackage answered with a BPP). */
  readonly downloads: DownloadRecord[] = [];
  /** Every notification received, as its DER PendingNotification. */
  readonly notifications: Uint8Array[] = [];
  private readonly sessions = new Map<string, RspSession>();
  private readonly profiles = new Map<string, ProfilePackage>();
  private readonly hostId: Uint8Array;
  private readonly clock: () => Date;

  constructor(private readonly options: SmdpPlusOptions) {
    this.address = options.address;
    this.clock = options.clock ?? (() => new Date());
    for (const p of options.profiles) this.profiles.set(p.matchingId, p);
    this.hostId = new Uint8Array(Buffer.from(options.hostId ?? 'SMDPP-SIM', 'utf8'));
    if (this.hostId.length > 16) throw new RangeError('hostId is longer than 16 bytes');
  }

  /** `1$<address>$<matchingId>` (SGP.22 4.1). */
  activationCode(matchingId: string): string {
    return `1$${this.address}$${matchingId}`;
  }

  listProfiles(): ProfilePackage[] {
    return [...this.profiles.values()];
  }

  /** One ES9+ exchange over the ASN.1 binding; null for HandleNotification (no response body). */
  handle(body: Uint8Array): Uint8Array | null {
    let request;
    try {
      request = decode(RemoteProfileProvisioningRequest, body);
    } catch (e) {
      if (e instanceof Asn1DecodeError)
        throw new Es9RequestError(`not a RemoteProfileProvisioningRequest: ${e.message}`);
      throw e;
    }
    const answer = (r: RemoteProfileProvisioningResponse) => encode(RemoteProfileProvisioningResponse, r);
    if (request.initiateAuthenticationRequest)
      return answer({
        initiateAuthenticationResponse: this.initiateAuthentication(request.initiateAuthenticationRequest),
      });
    if (request.authenticateClientRequest)
      return answer({
        authenticateClientResponseEs9: this.authenticateClient(request.authenticateClientRequest),
      });
    if (request.getBoundProfilePackageRequest)
      return answer({
        getBoundProfilePackageResponse: this.getBoundProfilePackage(request.getBoundProfilePackageRequest),
      });
    if (request.cancelSessionRequestEs9)
      return answer({ cancelSessionResponseEs9: this.cancelSession(request.cancelSessionRequestEs9) });
    if (request.handleNotification) {
      this.handleNotification(request.handleNotification);
      return null;
    }
    throw new Es9RequestError('unknown RemoteProfileProvisioningRequest alternative');
  }

  /** ES9+.InitiateAuthentication (5.6.1): serverSigned1 signed with SK.DPauth. */
  initiateAuthentication(req: InitiateAuthenticationRequest): InitiateAuthenticationResponse {
    if (req.smdpAddress !== this.address) return { initiateAuthenticationError: 1 }; // invalidDpAddress
    const ciPkId = this.options.credentials.ciPkId;
    if (!req.euiccInfo1.euiccCiPKIdListForVerification.some((id) => same(id, ciPkId)))
      return { initiateAuthenticationError: 3 }; // ciPKNotSupported
    const transactionId = new Uint8Array(randomBytes(16));
    const serverChallenge = new Uint8Array(randomBytes(16));
    const serverSigned1: ServerSigned1 = {
      transactionId,
      euiccChallenge: req.euiccChallenge,
      serverAddress: this.address,
      serverChallenge,
    };
    this.sessions.set(hexOf(transactionId), { transactionId, serverChallenge, state: 'initiated' });
    const c = this.options.credentials;
    return {
      initiateAuthenticationOk: {
        transactionId,
        serverSigned1,
        serverSignature1: signPlain(c.authKey, encode(RSPDefinitions.ServerSigned1, serverSigned1)),
        euiccCiPKIdToBeUsed: ciPkId,
        serverCertificate: c.authCertificate,
      },
    };
  }

  /**
   * ES9+.AuthenticateClient (5.6.2): the eUICC's chain, validity periods included, and
   * euiccSignature1 over the exact euiccSigned1 received, its answer to our challenge, then the
   * profile of the matching ID.
   */
  authenticateClient(req: AuthenticateClientRequest): AuthenticateClientResponseEs9 {
    const refuse = (code: number): AuthenticateClientResponseEs9 => ({ authenticateClientError: code });
    const session = this.sessions.get(hexOf(req.transactionId));
    if (!session || session.state !== 'initiated') return refuse(AuthClientError.invalidTransactionId);
    const ok = req.authenticateServerResponse.authenticateResponseOk;
    if (!ok) {
      this.sessions.delete(hexOf(req.transactionId));
      return refuse(AuthClientError.undefinedError);
    }
    const chain = checkEuiccChain(
      ok.euiccCertificate,
      ok.eumCertificate,
      [this.options.credentials.ciCertificate],
      this.clock(),
    );
    if ('error' in chain)
      return refuse(chain.error === 'ciUnknown' ? AuthClientError.ciPKUnknown : AuthClientError[chain.error]);
    const signed = ok.euiccSigned1;
    const signedBytes = derOf(signed) ?? encode(RSPDefinitions.EuiccSigned1, signed);
    if (!verifyPlain(publicKeyFromCertificate(ok.euiccCertificate), signedBytes, ok.euiccSignature1))
      return refuse(AuthClientError.euiccSignatureInvalid);
    if (!same(signed.transactionId, session.transactionId))
      return refuse(AuthClientError.invalidTransactionId);
    // The eUICC signed an answer to another challenge or server: not an answer to this session.
    if (!same(signed.serverChallenge, session.serverChallenge) || signed.serverAddress !== this.address)
      return refuse(AuthClientError.euiccSignatureInvalid);
    const matchingId = signed.ctxParams1.ctxParamsForCommonAuthentication?.matchingId;
    if (matchingId === undefined) return refuse(AuthClientError.noEligibleProfile);
    const stored = this.profiles.get(matchingId);
    if (!stored) return refuse(AuthClientError.matchingIdRefused);
    const profile = this.options.uniqueIccids ? personalised(stored, chain.eid) : stored;
    const smdpSigned2: SmdpSigned2 = { transactionId: session.transactionId, ccRequiredFlag: false };
    const c = this.options.credentials;
    const smdpSignature2 = signPlain(c.pbKey, chained(encode(SmdpSigned2, smdpSigned2), ok.euiccSignature1));
    Object.assign(session, {
      state: 'authenticated',
      eid: chain.eid,
      profile,
      euiccCertificate: ok.euiccCertificate,
      smdpSignature2,
    });
    return {
      authenticateClientOk: {
        transactionId: session.transactionId,
        profileMetaData: this.metadataOf(profile),
        smdpSigned2,
        smdpSignature2,
        smdpCertificate: c.pbCertificate,
      },
    };
  }

  /**
   * ES9+.GetBoundProfilePackage (5.6.3): euiccSignature2 verified, then ECKA with
   * otPK.EUICC.ECKA, the session keys, and the profile bound to them.
   */
  getBoundProfilePackage(req: GetBoundProfilePackageRequest): GetBoundProfilePackageResponse {
    const refuse = (code: number): GetBoundProfilePackageResponse => ({ getBoundProfilePackageError: code });
    const id = hexOf(req.transactionId);
    const session = this.sessions.get(id);
    if (!session || session.state !== 'authenticated') return refuse(BppError.invalidTransactionId);
    const ok = req.prepareDownloadResponse.downloadResponseOk;
    if (!ok) {
      this.sessions.delete(id);
      return refuse(BppError.undefinedError);
    }
    const signed = ok.euiccSigned2;
    const signedBytes = derOf(signed) ?? encode(RSPDefinitions.EUICCSigned2, signed);
    if (
      !verifyPlain(
        publicKeyFromCertificate(session.euiccCertificate!),
        chained(signedBytes, session.smdpSignature2!),
        ok.euiccSignature2,
      )
    )
      return refuse(BppError.euiccSignatureInvalid);
    if (!same(signed.transactionId, session.transactionId)) return refuse(BppError.invalidTransactionId);
    const profile = session.profile!;
    const eid = session.eid!;
    const ot = oneTimeKeyPair();
    let shared: Uint8Array;
    try {
      shared = ecka(ot.privateKey, signed.euiccOtpk);
    } catch {
      return refuse(BppError.undefinedError);
    }
    const keys = deriveBspKeys(shared, this.hostId, new Uint8Array(Buffer.from(eid, 'hex')));
    const init = {
      remoteOpId: 1,
      transactionId: session.transactionId,
      controlRefTemplate: {
        keyType: new Uint8Array([BSP_KEY_TYPE]),
        keyLen: new Uint8Array([BSP_KEY_LENGTH]),
        hostId: this.hostId,
      },
      smdpOtpk: ot.publicKey,
    };
    const smdpSign = signPlain(
      this.options.credentials.pbKey,
      smdpSignData(unsignedInitialiseSecureChannel(init), ok.euiccSignature2),
    );
    const bpp = bindProfilePackage(
      new BspSession(keys),
      { ...init, smdpSign },
      encode(ConfigureISDPRequest, {}),
      encode(RSPDefinitions.StoreMetadataRequest, this.metadataOf(profile)),
      profile.upp,
    );
    session.state = 'bound';
    this.downloads.push({
      transactionId: id,
      eid,
      matchingId: profile.matchingId,
      iccid: profile.iccid,
      at: this.clock().toISOString(),
    });
    return { getBoundProfilePackageOk: { transactionId: session.transactionId, boundProfilePackage: bpp } };
  }

  /** ES9+.HandleNotification (5.6.4): kept; the session of an installation ends with it. */
  handleNotification(req: HandleNotification): void {
    this.notifications.push(
      derOf(req.pendingNotification) ?? encode(RSPDefinitions.PendingNotification, req.pendingNotification),
    );
    const tid =
      req.pendingNotification.profileInstallationResult?.profileInstallationResultData.transactionId;
    if (tid) this.sessions.delete(hexOf(tid));
  }

  /** ES9+.CancelSession (5.6.5): the session ends, whatever the eUICC's reason. */
  cancelSession(req: CancelSessionRequestEs9): CancelSessionResponseEs9 {
    const id = hexOf(req.transactionId);
    if (!this.sessions.has(id)) return { cancelSessionError: 1 }; // invalidTransactionId
    const ok = req.cancelSessionResponse.cancelSessionResponseOk;
    const session = this.sessions.get(id)!;
    if (ok && session.euiccCertificate) {
      const signed =
        derOf(ok.euiccCancelSessionSigned) ??
        encode(RSPDefinitions.EuiccCancelSessionSigned, ok.euiccCancelSessionSigned);
      if (
        !verifyPlain(
          publicKeyFromCertificate(session.euiccCertificate),
          signed,
          ok.euiccCancelSessionSignature,
        )
      )
        return { cancelSessionError: 2 }; // euiccSignatureInvalid
    }
    this.sessions.delete(id);
    return { cancelSessionOk: {} };
  }

  private metadataOf(profile: ProfilePackage) {
    return {
      iccid: iccidToBytes(profile.iccid),
      serviceProviderName: profile.serviceProviderName,
      profileName: profile.profileName.slice(0, 64),
      profileClass: 2, // operational
    };
  }
}

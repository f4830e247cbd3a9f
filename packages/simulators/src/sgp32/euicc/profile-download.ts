/**
 * ES10b profile download on the simulated card (SGP.22 5.7.13 - 5.7.17, as SGP.32 keeps them):
 * GetEUICCChallenge, AuthenticateServer, PrepareDownload, LoadBoundProfilePackage.
 * The session context (challenge, transaction, one-time key, SM-DP+ certificate) is volatile, as
 * on a card: it is lost with a reboot and ends with the installation attempt. Every
 * refusal carries the SGP.22 error code and installs nothing; an SM-DP+ certificate outside its
 * validity period by the card's clock is `invalidCertificate`, as neither error list has "expired".
 */
import { randomBytes } from 'node:crypto';
import {
  AuthenticateErrorCode,
  ConfigureISDPRequest,
  decode,
  derOf,
  DownloadErrorCode,
  encode,
  EuiccSigned1,
  EUICCSigned2,
  parseCertificate,
  ProfileInstallationResult,
  RSPDefinitions,
  StoreMetadataRequest,
  type AuthenticateServerRequest,
  type AuthenticateServerResponse,
  type BoundProfilePackage,
  type EUICCInfo1,
  type PrepareDownloadRequest,
  type PrepareDownloadResponse,
  type ProfileInstallationResultData,
} from '@esim/asn1';
import { AsnConvert } from '@peculiar/asn1-schema';
import { id_ce_subjectAltName, SubjectAlternativeName } from '@peculiar/asn1-x509';
import { BppOpenError, openBoundProfilePackage } from '../bsp/bound-profile-package.js';
import { BspSession } from '../bsp/bsp-session.js';
import { BSP_KEY_LENGTH, BSP_KEY_TYPE, deriveBspKeys, ecka, oneTimeKeyPair } from '../bsp/session-keys.js';
import { chained, smdpSignData } from '../bsp/signed-data.js';
import { issuedBy, validAt } from '../pki/certificate-chain.js';
import { iccidFromBytes } from '../pki/iccid.js';
import type { Card } from './card.js';
import { euiccInfo1, euiccInfo2 } from './euicc-info.js';
import { publicKeyFromCertificate, signPlain, verifyPlain } from './signing.js';
import type { ProfileClassName, ProfileRecord } from './state.js';
import { profileHeaderOf, ProfilePackageError } from '../saip/profile-header.js';

const AuthError = AuthenticateErrorCode.values;
const DownloadError = DownloadErrorCode.values;
const Command = RSPDefinitions.BppCommandId.values;
const Reason = RSPDefinitions.ErrorReason.values;
const ISDP_AID_PREFIX = 'A0000005591010FFFFFFFF890000';
const CLASS_NAMES: ProfileClassName[] = ['test', 'provisioning', 'operational'];

const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;
const hexOf = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

interface DownloadContext {
  euiccChallenge: Uint8Array;
  transactionId?: Uint8Array;
  serverAddress?: string;
  euiccSignature1?: Uint8Array;
  smdpCertificate?: Uint8Array;
  euiccSignature2?: Uint8Array;
  otSk?: Uint8Array;
}

/** The SM-DP+ OID of a certificate: the registeredID of its subjectAltName (SGP.22 4.5.2.1). */
function smdpOidOf(certificate: Uint8Array): string | undefined {
  const ext = parseCertificate(certificate).tbsCertificate.extensions?.find(
    (e) => e.extnID === id_ce_subjectAltName,
  );
  if (!ext) return undefined;
  return AsnConvert.parse(ext.extnValue.buffer, SubjectAlternativeName).find((n) => n.registeredID)
    ?.registeredID;
}

export class ProfileDownload {
  private context: DownloadContext | undefined;

  constructor(
    private readonly card: Card,
    private readonly clock: () => Date,
  ) {}

  getEuiccInfo1(): EUICCInfo1 {
    return euiccInfo1(this.card.credentials.ciPkId);
  }

  /** ES10b.GetEUICCChallenge: a new challenge opens a new session context. */
  getEuiccChallenge(): Uint8Array {
    const euiccChallenge = new Uint8Array(randomBytes(16));
    this.context = { euiccChallenge };
    return euiccChallenge;
  }

  /**
   * ES10b.AuthenticateServer: CERT.DPauth issued by the CI to be used and valid now,
   * serverSignature1 over serverSigned1, our challenge; then euiccSigned1 signed with SK.EUICC.
   */
  authenticateServer(req: AuthenticateServerRequest): AuthenticateServerResponse {
    const signed = req.serverSigned1;
    const refuse = (authenticateErrorCode: number): AuthenticateServerResponse => ({
      authenticateResponseError: { transactionId: signed.transactionId, authenticateErrorCode },
    });
    const ctx = this.context;
    if (!ctx) return refuse(AuthError.noSessionContext);
    const { ciPkId, ciCertificate, privateKey, euiccCertificate, eumCertificate } = this.card.credentials;
    if (!same(req.euiccCiPKIdToBeUsed, ciPkId)) return refuse(AuthError.ciPKUnknown);
    if (!issuedBy(req.serverCertificate, ciCertificate) || !validAt(req.serverCertificate, this.clock()))
      return refuse(AuthError.invalidCertificate);
    const signedBytes = derOf(signed) ?? encode(RSPDefinitions.ServerSigned1, signed);
    if (!verifyPlain(publicKeyFromCertificate(req.serverCertificate), signedBytes, req.serverSignature1))
      return refuse(AuthError.invalidSignature);
    if (!same(signed.euiccChallenge, ctx.euiccChallenge)) return refuse(AuthError.euiccChallengeMismatch);
    const euiccSigned1: EuiccSigned1 = {
      transactionId: signed.transactionId,
      serverAddress: signed.serverAddress,
      serverChallenge: signed.serverChallenge,
      euiccInfo2: euiccInfo2(ciPkId, this.card.state.profiles.length),
      ctxParams1: req.ctxParams1,
    };
    const euiccSignature1 = signPlain(privateKey, encode(EuiccSigned1, euiccSigned1));
    Object.assign(ctx, {
      transactionId: signed.transactionId,
      serverAddress: signed.serverAddress,
      euiccSignature1,
    });
    return { authenticateResponseOk: { euiccSigned1, euiccSignature1, euiccCertificate, eumCertificate } };
  }

  /**
   * ES10b.PrepareDownload: CERT.DPpb issued by our CI and valid now, smdpSignature2 over
   * smdpSigned2 || euiccSignature1, the transaction; then a one-time key pair and euiccSigned2.
   */
  prepareDownload(req: PrepareDownloadRequest): PrepareDownloadResponse {
    const transactionId = req.smdpSigned2.transactionId;
    const refuse = (downloadErrorCode: number): PrepareDownloadResponse => ({
      downloadResponseError: { transactionId, downloadErrorCode },
    });
    const ctx = this.context;
    if (!ctx?.transactionId || !ctx.euiccSignature1) return refuse(DownloadError.noSessionContext);
    if (
      !issuedBy(req.smdpCertificate, this.card.credentials.ciCertificate) ||
      !validAt(req.smdpCertificate, this.clock())
    )
      return refuse(DownloadError.invalidCertificate);
    const signedBytes = derOf(req.smdpSigned2) ?? encode(RSPDefinitions.SmdpSigned2, req.smdpSigned2);
    if (
      !verifyPlain(
        publicKeyFromCertificate(req.smdpCertificate),
        chained(signedBytes, ctx.euiccSignature1),
        req.smdpSignature2,
      )
    )
      return refuse(DownloadError.invalidSignature);
    if (!same(transactionId, ctx.transactionId)) return refuse(DownloadError.invalidTransactionId);
    const ot = oneTimeKeyPair();
    const euiccSigned2 = { transactionId, euiccOtpk: ot.publicKey };
    const euiccSignature2 = signPlain(
      this.card.credentials.privateKey,
      chained(encode(EUICCSigned2, euiccSigned2), req.smdpSignature2),
    );
    Object.assign(ctx, { smdpCertificate: req.smdpCertificate, euiccSignature2, otSk: ot.privateKey });
    return { downloadResponseOk: { euiccSigned2, euiccSignature2 } };
  }

  /**
   * ES10b.LoadBoundProfilePackage, as one call: smdpSign, the session keys, every MAC, the
   * metadata and the profile header; the profile is installed Disabled. The signed
   * ProfileInstallationResult (success or error) goes to the notification list.
   */
  loadBoundProfilePackage(bpp: BoundProfilePackage): ProfileInstallationResult {
    const ctx = this.context;
    const init = bpp.initialiseSecureChannelRequest;
    this.context = undefined;
    if (!ctx?.euiccSignature2 || !ctx.otSk || !ctx.smdpCertificate || !ctx.transactionId)
      return this.result(init.transactionId, undefined, undefined, '', {
        errorResult: {
          bppCommandId: Command.initialiseSecureChannel,
          errorReason: Reason.invalidTransactionId,
        },
      });
    const smdpOid = smdpOidOf(ctx.smdpCertificate);
    const fail = (bppCommandId: number, errorReason: number, iccid?: Uint8Array) =>
      this.result(init.transactionId, smdpOid, iccid, ctx.serverAddress!, {
        errorResult: { bppCommandId, errorReason },
      });
    if (!same(init.transactionId, ctx.transactionId))
      return fail(Command.initialiseSecureChannel, Reason.invalidTransactionId);
    const initBytes = derOf(init) ?? encode(RSPDefinitions.InitialiseSecureChannelRequest, init);
    if (
      !verifyPlain(
        publicKeyFromCertificate(ctx.smdpCertificate),
        smdpSignData(initBytes, ctx.euiccSignature2),
        init.smdpSign,
      )
    )
      return fail(Command.initialiseSecureChannel, Reason.invalidSignature);
    const crt = init.controlRefTemplate;
    if (init.remoteOpId !== 1)
      return fail(Command.initialiseSecureChannel, Reason.unsupportedRemoteOperationType);
    if (crt.keyType[0] !== BSP_KEY_TYPE || crt.keyLen[0] !== BSP_KEY_LENGTH)
      return fail(Command.initialiseSecureChannel, Reason.unsupportedCrtValues);
    let session: BspSession;
    try {
      const shared = ecka(ctx.otSk, init.smdpOtpk);
      session = new BspSession(
        deriveBspKeys(shared, crt.hostId, new Uint8Array(Buffer.from(this.card.state.eid, 'hex'))),
      );
    } catch {
      return fail(Command.initialiseSecureChannel, Reason.incorrectInputValues);
    }
    let opened;
    try {
      opened = openBoundProfilePackage(session, bpp);
    } catch (e) {
      if (!(e instanceof BppOpenError)) throw e;
      return fail(
        Command[e.command],
        e.failure.reason === 'macMismatch' ? Reason.scp03tSecurityError : Reason.scp03tStructureError,
      );
    }
    let metadata: StoreMetadataRequest;
    try {
      decode(ConfigureISDPRequest, opened.configureIsdp);
      metadata = decode(StoreMetadataRequest, opened.storeMetadata);
    } catch {
      return fail(Command.storeMetadata, Reason.scp03tStructureError);
    }
    const iccid = iccidFromBytes(metadata.iccid);
    if (this.card.state.profiles.some((p) => p.iccid === iccid))
      return fail(Command.storeMetadata, Reason.installFailedDueToIccidAlreadyExistsOnEuicc, metadata.iccid);
    if (metadata.profileClass !== undefined && !CLASS_NAMES[metadata.profileClass])
      return fail(Command.storeMetadata, Reason.unsupportedProfileClass, metadata.iccid);
    try {
      if (profileHeaderOf(opened.upp).iccid !== iccid)
        return fail(Command.loadProfileElements, Reason.installFailedDueToDataMismatch, metadata.iccid);
    } catch (e) {
      if (!(e instanceof ProfilePackageError)) throw e;
      return fail(Command.loadProfileElements, Reason.installFailedDueToPEProcessingError, metadata.iccid);
    }
    const profile = this.install(metadata, ctx.serverAddress!);
    return this.result(init.transactionId, smdpOid, metadata.iccid, profile.notificationAddress, {
      successResult: {
        aid: new Uint8Array(Buffer.from(profile.isdpAid, 'hex')),
        simaResponse: new Uint8Array(),
      },
    });
  }

  private install(metadata: StoreMetadataRequest, serverAddress: string): ProfileRecord {
    const used = new Set(this.card.state.profiles.map((p) => p.isdpAid));
    let slot = 1;
    while (used.has(`${ISDP_AID_PREFIX}${String(slot).padStart(4, '0')}`)) slot++;
    const installAddress = metadata.notificationConfigurationInfo?.find((n) =>
      n.profileManagementOperation.includes('notificationInstall'),
    )?.notificationAddress;
    const profile: ProfileRecord = {
      iccid: iccidFromBytes(metadata.iccid),
      isdpAid: `${ISDP_AID_PREFIX}${String(slot).padStart(4, '0')}`,
      state: 'disabled',
      fallbackAttribute: false,
      fallbackAllowed: metadata.fallbackAllowed ?? true,
      profileName: metadata.profileName,
      serviceProviderName: metadata.serviceProviderName,
      profileClass: CLASS_NAMES[metadata.profileClass ?? 2]!,
      notificationAddress: installAddress ?? serverAddress,
    };
    this.card.state.profiles.push(profile);
    return profile;
  }

  private result(
    transactionId: Uint8Array,
    smdpOid: string | undefined,
    iccid: Uint8Array | undefined,
    notificationAddress: string,
    finalResult: ProfileInstallationResultData['finalResult'],
  ): ProfileInstallationResult {
    const seqNumber = this.card.state.nextSeqNumber++;
    const profileInstallationResultData: ProfileInstallationResultData = {
      transactionId,
      notificationMetadata: {
        seqNumber,
        profileManagementOperation: ['notificationInstall'],
        notificationAddress,
        ...(iccid ? { iccid } : {}),
      },
      // An SM-DP+ certificate without its OID: the placeholder OID of SGP.26's test SM-DP+.
      smdpOid: smdpOid ?? '2.999.10',
      finalResult,
    };
    const result: ProfileInstallationResult = {
      profileInstallationResultData,
      euiccSignPIR: signPlain(
        this.card.credentials.privateKey,
        encode(RSPDefinitions.ProfileInstallationResultData, profileInstallationResultData),
      ),
    };
    this.card.state.pending.push({
      seqNumber,
      kind: 'profileInstallationResult',
      der: hexOf(encode(ProfileInstallationResult, result)),
    });
    return result;
  }
}

/**
 * The IPA's side of a profile download (SGP.32 3.2.3, SGP.22 3.1.3 as the LPA does it): from an
 * activation code to an installed profile, each ES9+ answer handed to the card and each card
 * answer sent on. A refusal on the way ends the download with profileDownloadError, its
 * errorResponse the DER of the answer that refused (the card's, or the SM-DP+'s relayed one).
 */
import {
  AuthenticateClientResponseEsipa,
  AuthenticateServerResponse,
  encode,
  GetBoundProfilePackageResponseEsipa,
  InitiateAuthenticationResponseEsipa,
  PrepareDownloadResponse,
  type DeviceInfo,
  type ProfileDownloadTriggerResult,
} from '@esim/asn1';
import type { Euicc } from '../euicc/euicc.js';
import type { RspServer } from './rsp-server.js';

type TriggerResultData = ProfileDownloadTriggerResult['profileDownloadTriggerResultData'];

/** profileDownloadErrorReason undefinedError(127): SGP.32 has no finer reason for these. */
const UNDEFINED_ERROR = 127;

export interface ActivationCode {
  smdpAddress: string;
  matchingId: string;
}

/** `1$<SM-DP+ address>$<matching ID>[$...]` (SGP.22 4.1); undefined for anything else. */
export function parseActivationCode(code: string): ActivationCode | undefined {
  const [format, smdpAddress, matchingId] = code.split('$');
  return format === '1' && smdpAddress && matchingId !== undefined ? { smdpAddress, matchingId } : undefined;
}

const failed = (errorResponse?: Uint8Array): TriggerResultData => ({
  profileDownloadError: {
    profileDownloadErrorReason: UNDEFINED_ERROR,
    ...(errorResponse ? { errorResponse } : {}),
  },
});

export async function downloadProfile(
  euicc: Euicc,
  server: RspServer,
  code: ActivationCode,
  deviceInfo: DeviceInfo,
  eimTransactionId?: Uint8Array,
): Promise<TriggerResultData> {
  const card = euicc.download;
  const initiated = await server.initiateAuthentication({
    euiccChallenge: card.getEuiccChallenge(),
    smdpAddress: code.smdpAddress,
    euiccInfo1: card.getEuiccInfo1(),
    ...(eimTransactionId ? { eimTransactionId } : {}),
  });
  const ia = initiated.initiateAuthenticationOkEsipa;
  if (!ia) return failed(encode(InitiateAuthenticationResponseEsipa, initiated));
  const transactionId = ia.transactionId ?? ia.serverSigned1.transactionId;
  const authenticateServerResponse = card.authenticateServer({
    serverSigned1: ia.serverSigned1,
    serverSignature1: ia.serverSignature1,
    euiccCiPKIdToBeUsed: ia.euiccCiPKIdentifierToBeUsed,
    serverCertificate: ia.serverCertificate,
    ctxParams1: {
      ctxParamsForCommonAuthentication: {
        ...(code.matchingId ? { matchingId: code.matchingId } : {}),
        deviceInfo,
      },
    },
  });
  // The SM-DP+ hears of the card's refusal too (AuthenticateClient carries it) and ends its session.
  const authenticated = await server.authenticateClient({ transactionId, authenticateServerResponse });
  if (authenticateServerResponse.authenticateResponseError)
    return failed(encode(AuthenticateServerResponse, authenticateServerResponse));
  const ac = authenticated.authenticateClientOkDPEsipa;
  if (!ac) return failed(encode(AuthenticateClientResponseEsipa, authenticated));
  const prepareDownloadResponse = card.prepareDownload({
    smdpSigned2: ac.smdpSigned2,
    smdpSignature2: ac.smdpSignature2,
    smdpCertificate: ac.smdpCertificate,
    ...(ac.hashCc ? { hashCc: ac.hashCc } : {}),
  });
  const bound = await server.getBoundProfilePackage({ transactionId, prepareDownloadResponse });
  if (prepareDownloadResponse.downloadResponseError)
    return failed(encode(PrepareDownloadResponse, prepareDownloadResponse));
  const bpp = bound.getBoundProfilePackageOkEsipa?.boundProfilePackage;
  if (!bpp) return failed(encode(GetBoundProfilePackageResponseEsipa, bound));
  const profileInstallationResult = card.loadBoundProfilePackage(bpp);
  await server.handleNotification?.(profileInstallationResult);
  return { profileInstallationResult };
}

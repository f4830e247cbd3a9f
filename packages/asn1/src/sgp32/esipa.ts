/**
 * SGP.32 ESipa (IPA <-> eIM) messages. Every alternative of EsipaMessageFromIpaToEim /
 * EsipaMessageFromEimToIpa tags an already-tagged type with the same tag, so the tag is IMPLICIT
 * and an ESipa body is exactly the TLV of the chosen message (BF4F..., never BF4F BF4F...).
 */
import { Certificate } from '../pkix/index.js';
import {
  BoundProfilePackage,
  EUICCInfo1,
  Octet16,
  Octet32,
  ServerSigned1,
  SmdpSigned2,
  TransactionId,
  CtxParams1,
} from '../rsp/index.js';
import {
  app,
  choice,
  integer,
  NULL,
  OCTET_STRING,
  octetString,
  optional,
  sequence,
  tag,
  UTF8String,
  type ValueOf,
} from '../schema/index.js';
import { EuiccPackageRequest, EuiccPackageResult } from './euicc-package.js';
import { EimAcknowledgements, IpaEuiccDataRequest, IpaEuiccDataResponse } from './ipa-euicc-data.js';
import { sgp32 } from './module.js';
import { PendingNotification, PendingNotificationList } from './notifications.js';
import {
  AuthenticateServerResponse,
  CancelSessionResponse,
  PrepareDownloadResponse,
  ProfileDownloadTriggerRequest,
  ProfileDownloadTriggerResult,
  StoreMetadataRequest,
} from './profile-download.js';

// ---- eIM package retrieval (GetEimPackage / ProvideEimPackageResult / TransferEimPackage)

export const StateChangeCause = sgp32(
  'StateChangeCause',
  integer({
    otherEim: 0,
    fallback: 1,
    emergencyProfile: 2,
    local: 3,
    reset: 4,
    immediateEnableProfile: 5,
    deviceChange: 6,
    undefined: 127,
  }),
);
export type StateChangeCause = ValueOf<typeof StateChangeCause>;

export const GetEimPackageRequest = sgp32(
  'GetEimPackageRequest',
  tag(
    79,
    sequence({
      eidValue: tag(app(26), Octet16),
      notifyStateChange: optional(tag(0, NULL)),
      stateChangeCause: optional(tag(1, StateChangeCause)),
      rPLMN: optional(tag(2, octetString(3))),
    }),
  ),
);
export type GetEimPackageRequest = ValueOf<typeof GetEimPackageRequest>;

export const GetEimPackageResponse = sgp32(
  'GetEimPackageResponse',
  tag(
    79,
    choice({
      euiccPackageRequest: tag(81, EuiccPackageRequest),
      ipaEuiccDataRequest: tag(82, IpaEuiccDataRequest),
      profileDownloadTriggerRequest: tag(84, ProfileDownloadTriggerRequest),
      eimPackageError: integer({
        noEimPackageAvailable: 1,
        eidNotFound: 2,
        invalidEid: 3,
        missingEid: 4,
        undefinedError: 127,
      }),
    }),
  ),
);
export type GetEimPackageResponse = ValueOf<typeof GetEimPackageResponse>;

export const EimPackageResultErrorCode = sgp32(
  'EimPackageResultErrorCode',
  integer({ invalidPackageFormat: 1, unknownPackage: 2, undefinedError: 127 }),
);
export type EimPackageResultErrorCode = ValueOf<typeof EimPackageResultErrorCode>;

export const EimPackageResultResponseError = sgp32(
  'EimPackageResultResponseError',
  sequence({
    eimTransactionId: optional(tag(0, TransactionId)),
    eimPackageResultErrorCode: EimPackageResultErrorCode,
  }),
);
export type EimPackageResultResponseError = ValueOf<typeof EimPackageResultResponseError>;

export const EimPackageResult = sgp32(
  'EimPackageResult',
  choice({
    euiccPackageResult: tag(81, EuiccPackageResult),
    ePRAndNotifications: sequence({
      euiccPackageResult: tag(81, EuiccPackageResult),
      notificationList: tag(0, PendingNotificationList),
    }),
    ipaEuiccDataResponse: tag(82, IpaEuiccDataResponse),
    profileDownloadTriggerResult: tag(84, ProfileDownloadTriggerResult),
    eimPackageResultResponseError: tag(0, EimPackageResultResponseError),
  }),
);
export type EimPackageResult = ValueOf<typeof EimPackageResult>;

export const ProvideEimPackageResult = sgp32(
  'ProvideEimPackageResult',
  tag(80, sequence({ eidValue: optional(tag(app(26), Octet16)), eimPackageResult: EimPackageResult })),
);
export type ProvideEimPackageResult = ValueOf<typeof ProvideEimPackageResult>;

export const ProvideEimPackageResultResponse = sgp32(
  'ProvideEimPackageResultResponse',
  tag(
    80,
    choice({
      eimAcknowledgements: tag(83, EimAcknowledgements),
      emptyResponse: sequence({}),
      provideEimPackageResultError: integer({
        eidNotFound: 2,
        invalidEid: 3,
        missingEid: 4,
        undefinedError: 127,
      }),
    }),
  ),
);
export type ProvideEimPackageResultResponse = ValueOf<typeof ProvideEimPackageResultResponse>;

export const TransferEimPackageRequest = sgp32(
  'TransferEimPackageRequest',
  tag(
    78,
    choice({
      euiccPackageRequest: tag(81, EuiccPackageRequest),
      ipaEuiccDataRequest: tag(82, IpaEuiccDataRequest),
      eimAcknowledgements: tag(83, EimAcknowledgements),
      profileDownloadTriggerRequest: tag(84, ProfileDownloadTriggerRequest),
    }),
  ),
);
export type TransferEimPackageRequest = ValueOf<typeof TransferEimPackageRequest>;

export const TransferEimPackageResponse = sgp32(
  'TransferEimPackageResponse',
  tag(
    78,
    choice({
      euiccPackageResult: tag(81, EuiccPackageResult),
      ePRAndNotifications: sequence({
        euiccPackageResult: tag(81, EuiccPackageResult),
        notificationList: tag(0, PendingNotificationList),
      }),
      ipaEuiccDataResponse: tag(82, IpaEuiccDataResponse),
      eimPackageReceived: NULL,
      eimPackageError: integer({ invalidPackageFormat: 1, unknownPackage: 2, undefinedError: 127 }),
    }),
  ),
);
export type TransferEimPackageResponse = ValueOf<typeof TransferEimPackageResponse>;

// ---- indirect profile download through the eIM (ES9+ relayed over ESipa)

export const InitiateAuthenticationRequestEsipa = sgp32(
  'InitiateAuthenticationRequestEsipa',
  tag(
    57,
    sequence({
      euiccChallenge: tag(1, Octet16),
      smdpAddress: optional(tag(3, UTF8String)),
      euiccInfo1: optional(EUICCInfo1),
      eimTransactionId: optional(tag(2, TransactionId)),
    }),
  ),
);
export type InitiateAuthenticationRequestEsipa = ValueOf<typeof InitiateAuthenticationRequestEsipa>;

export const InitiateAuthenticationOkEsipa = sgp32(
  'InitiateAuthenticationOkEsipa',
  sequence({
    transactionId: optional(tag(0, TransactionId)),
    serverSigned1: ServerSigned1,
    serverSignature1: tag(app(55), OCTET_STRING),
    euiccCiPKIdentifierToBeUsed: OCTET_STRING,
    serverCertificate: Certificate,
    matchingId: optional(UTF8String),
    ctxParams1: optional(tag(2, CtxParams1)),
  }),
);
export type InitiateAuthenticationOkEsipa = ValueOf<typeof InitiateAuthenticationOkEsipa>;

export const InitiateAuthenticationResponseEsipa = sgp32(
  'InitiateAuthenticationResponseEsipa',
  tag(
    57,
    choice({
      initiateAuthenticationOkEsipa: InitiateAuthenticationOkEsipa,
      initiateAuthenticationErrorEsipa: integer({
        invalidDpAddress: 1,
        euiccVersionNotSupportedByDp: 2,
        ciPKIdNotSupported: 3,
        smdpAddressMismatch: 50,
        smdpOidMismatch: 51,
        invalidEimTransactionId: 52,
        undefinedError: 127,
      }),
    }),
  ),
);
export type InitiateAuthenticationResponseEsipa = ValueOf<typeof InitiateAuthenticationResponseEsipa>;

export const AuthenticateClientRequestEsipa = sgp32(
  'AuthenticateClientRequestEsipa',
  tag(
    59,
    sequence({
      transactionId: tag(0, TransactionId),
      authenticateServerResponse: tag(56, AuthenticateServerResponse),
    }),
  ),
);
export type AuthenticateClientRequestEsipa = ValueOf<typeof AuthenticateClientRequestEsipa>;

export const AuthenticateClientOkDPEsipa = sgp32(
  'AuthenticateClientOkDPEsipa',
  sequence({
    transactionId: optional(tag(0, TransactionId)),
    profileMetaData: optional(tag(37, StoreMetadataRequest)),
    smdpSigned2: SmdpSigned2,
    smdpSignature2: tag(app(55), OCTET_STRING),
    smdpCertificate: Certificate,
    hashCc: optional(Octet32),
  }),
);
export type AuthenticateClientOkDPEsipa = ValueOf<typeof AuthenticateClientOkDPEsipa>;

export const AuthenticateClientOkDSEsipa = sgp32(
  'AuthenticateClientOkDSEsipa',
  sequence({
    transactionId: tag(0, TransactionId),
    profileDownloadTrigger: optional(tag(84, ProfileDownloadTriggerRequest)),
  }),
);
export type AuthenticateClientOkDSEsipa = ValueOf<typeof AuthenticateClientOkDSEsipa>;

export const AuthenticateClientResponseEsipa = sgp32(
  'AuthenticateClientResponseEsipa',
  tag(
    59,
    choice({
      authenticateClientOkDPEsipa: AuthenticateClientOkDPEsipa,
      authenticateClientOkDSEsipa: AuthenticateClientOkDSEsipa,
      authenticateClientErrorEsipa: integer({
        eumCertificateInvalid: 1,
        eumCertificateExpired: 2,
        euiccCertificateInvalid: 3,
        euiccCertificateExpired: 4,
        euiccSignatureInvalid: 5,
        matchingIdRefused: 6,
        eidMismatch: 7,
        noEligibleProfile: 8,
        ciPKUnknown: 9,
        invalidTransactionId: 10,
        insufficientMemory: 11,
        pprNotAllowed: 50,
        eventIdUnknown: 56,
        undefinedError: 127,
      }),
    }),
  ),
);
export type AuthenticateClientResponseEsipa = ValueOf<typeof AuthenticateClientResponseEsipa>;

export const GetBoundProfilePackageRequestEsipa = sgp32(
  'GetBoundProfilePackageRequestEsipa',
  tag(
    58,
    sequence({
      transactionId: tag(0, TransactionId),
      prepareDownloadResponse: tag(33, PrepareDownloadResponse),
    }),
  ),
);
export type GetBoundProfilePackageRequestEsipa = ValueOf<typeof GetBoundProfilePackageRequestEsipa>;

export const GetBoundProfilePackageOkEsipa = sgp32(
  'GetBoundProfilePackageOkEsipa',
  sequence({
    transactionId: optional(tag(0, TransactionId)),
    boundProfilePackage: tag(54, BoundProfilePackage),
  }),
);
export type GetBoundProfilePackageOkEsipa = ValueOf<typeof GetBoundProfilePackageOkEsipa>;

export const GetBoundProfilePackageResponseEsipa = sgp32(
  'GetBoundProfilePackageResponseEsipa',
  tag(
    58,
    choice({
      getBoundProfilePackageOkEsipa: GetBoundProfilePackageOkEsipa,
      getBoundProfilePackageErrorEsipa: integer({
        euiccSignatureInvalid: 1,
        confirmationCodeMissing: 2,
        confirmationCodeRefused: 3,
        confirmationCodeRetriesExceeded: 4,
        bppRebindingRefused: 5,
        downloadOrderExpired: 6,
        metadataMismatch: 50,
        invalidTransactionId: 95,
        undefinedError: 127,
      }),
    }),
  ),
);
export type GetBoundProfilePackageResponseEsipa = ValueOf<typeof GetBoundProfilePackageResponseEsipa>;

/** `pendingNotification [0]` tags an untagged CHOICE (EXPLICIT A0); `[80]` replaces BF50 by BF50. */
export const HandleNotificationEsipa = sgp32(
  'HandleNotificationEsipa',
  tag(
    61,
    choice({
      pendingNotification: tag(0, PendingNotification),
      provideEimPackageResult: tag(80, ProvideEimPackageResult),
    }),
  ),
);
export type HandleNotificationEsipa = ValueOf<typeof HandleNotificationEsipa>;

/** No textual tags: automatic [0] (80) and [1], which replaces CancelSessionResponse's BF41 (A1). */
export const CancelSessionRequestEsipa = sgp32(
  'CancelSessionRequestEsipa',
  tag(65, sequence({ transactionId: TransactionId, cancelSessionResponse: CancelSessionResponse })),
);
export type CancelSessionRequestEsipa = ValueOf<typeof CancelSessionRequestEsipa>;

export const CancelSessionOk = sgp32('CancelSessionOk', sequence({}));
export type CancelSessionOk = ValueOf<typeof CancelSessionOk>;

export const CancelSessionResponseEsipa = sgp32(
  'CancelSessionResponseEsipa',
  tag(
    65,
    choice({
      cancelSessionOk: CancelSessionOk,
      cancelSessionError: integer({ invalidTransactionId: 1, euiccSignatureInvalid: 2, undefinedError: 127 }),
    }),
  ),
);
export type CancelSessionResponseEsipa = ValueOf<typeof CancelSessionResponseEsipa>;

// ---- the two message unions of the ASN.1 binding

export const EsipaMessageFromIpaToEim = sgp32(
  'EsipaMessageFromIpaToEim',
  choice({
    initiateAuthenticationRequestEsipa: tag(57, InitiateAuthenticationRequestEsipa),
    authenticateClientRequestEsipa: tag(59, AuthenticateClientRequestEsipa),
    getBoundProfilePackageRequestEsipa: tag(58, GetBoundProfilePackageRequestEsipa),
    cancelSessionRequestEsipa: tag(65, CancelSessionRequestEsipa),
    handleNotificationEsipa: tag(61, HandleNotificationEsipa),
    transferEimPackageResponse: tag(78, TransferEimPackageResponse),
    getEimPackageRequest: tag(79, GetEimPackageRequest),
    provideEimPackageResult: tag(80, ProvideEimPackageResult),
  }),
);
export type EsipaMessageFromIpaToEim = ValueOf<typeof EsipaMessageFromIpaToEim>;

export const EsipaMessageFromEimToIpa = sgp32(
  'EsipaMessageFromEimToIpa',
  choice({
    initiateAuthenticationResponseEsipa: tag(57, InitiateAuthenticationResponseEsipa),
    authenticateClientResponseEsipa: tag(59, AuthenticateClientResponseEsipa),
    getBoundProfilePackageResponseEsipa: tag(58, GetBoundProfilePackageResponseEsipa),
    cancelSessionResponseEsipa: tag(65, CancelSessionResponseEsipa),
    transferEimPackageRequest: tag(78, TransferEimPackageRequest),
    getEimPackageResponse: tag(79, GetEimPackageResponse),
    provideEimPackageResultResponse: tag(80, ProvideEimPackageResultResponse),
  }),
);
export type EsipaMessageFromEimToIpa = ValueOf<typeof EsipaMessageFromEimToIpa>;

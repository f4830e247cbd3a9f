/** SGP.22 ES9+ / ES11 ASN.1 binding (LPA/IPA <-> SM-DP+ / SM-DS). */
import { Certificate, SubjectKeyIdentifier } from '../pkix/index.js';
import {
  app,
  choice,
  integer,
  OCTET_STRING,
  sequence,
  sequenceOf,
  tag,
  UTF8String,
  type ValueOf,
} from '../schema/index.js';
import { AuthenticateServerResponse, CancelSessionResponse, ServerSigned1 } from './authentication.js';
import { Octet16, TransactionId } from './common.js';
import { EUICCInfo1 } from './euicc-info.js';
import { PendingNotification } from './notifications.js';
import { BoundProfilePackage, PrepareDownloadResponse, SmdpSigned2 } from './profile-download.js';
import { StoreMetadataRequest } from './profile-management.js';
import { rsp } from './module.js';

export const InitiateAuthenticationRequest = rsp(
  'InitiateAuthenticationRequest',
  tag(
    57,
    sequence({ euiccChallenge: tag(1, Octet16), smdpAddress: tag(3, UTF8String), euiccInfo1: EUICCInfo1 }),
  ),
);
export type InitiateAuthenticationRequest = ValueOf<typeof InitiateAuthenticationRequest>;

export const InitiateAuthenticationOkEs9 = rsp(
  'InitiateAuthenticationOkEs9',
  sequence({
    transactionId: tag(0, TransactionId),
    serverSigned1: ServerSigned1,
    serverSignature1: tag(app(55), OCTET_STRING),
    euiccCiPKIdToBeUsed: SubjectKeyIdentifier,
    serverCertificate: Certificate,
  }),
);
export type InitiateAuthenticationOkEs9 = ValueOf<typeof InitiateAuthenticationOkEs9>;

export const InitiateAuthenticationResponse = rsp(
  'InitiateAuthenticationResponse',
  tag(
    57,
    choice({
      initiateAuthenticationOk: InitiateAuthenticationOkEs9,
      initiateAuthenticationError: integer({
        invalidDpAddress: 1,
        euiccVersionNotSupportedByDp: 2,
        ciPKNotSupported: 3,
      }),
    }),
  ),
);
export type InitiateAuthenticationResponse = ValueOf<typeof InitiateAuthenticationResponse>;

export const AuthenticateClientRequest = rsp(
  'AuthenticateClientRequest',
  tag(
    59,
    sequence({
      transactionId: tag(0, TransactionId),
      authenticateServerResponse: tag(56, AuthenticateServerResponse),
    }),
  ),
);
export type AuthenticateClientRequest = ValueOf<typeof AuthenticateClientRequest>;

export const AuthenticateClientOk = rsp(
  'AuthenticateClientOk',
  sequence({
    transactionId: tag(0, TransactionId),
    profileMetaData: tag(37, StoreMetadataRequest),
    smdpSigned2: SmdpSigned2,
    smdpSignature2: tag(app(55), OCTET_STRING),
    smdpCertificate: Certificate,
  }),
);
export type AuthenticateClientOk = ValueOf<typeof AuthenticateClientOk>;

export const AuthenticateClientResponseEs9 = rsp(
  'AuthenticateClientResponseEs9',
  tag(
    59,
    choice({
      authenticateClientOk: AuthenticateClientOk,
      authenticateClientError: integer({
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
        undefinedError: 127,
      }),
    }),
  ),
);
export type AuthenticateClientResponseEs9 = ValueOf<typeof AuthenticateClientResponseEs9>;

export const GetBoundProfilePackageRequest = rsp(
  'GetBoundProfilePackageRequest',
  tag(
    58,
    sequence({
      transactionId: tag(0, TransactionId),
      prepareDownloadResponse: tag(33, PrepareDownloadResponse),
    }),
  ),
);
export type GetBoundProfilePackageRequest = ValueOf<typeof GetBoundProfilePackageRequest>;

export const GetBoundProfilePackageOk = rsp(
  'GetBoundProfilePackageOk',
  sequence({ transactionId: tag(0, TransactionId), boundProfilePackage: tag(54, BoundProfilePackage) }),
);
export type GetBoundProfilePackageOk = ValueOf<typeof GetBoundProfilePackageOk>;

export const GetBoundProfilePackageResponse = rsp(
  'GetBoundProfilePackageResponse',
  tag(
    58,
    choice({
      getBoundProfilePackageOk: GetBoundProfilePackageOk,
      getBoundProfilePackageError: integer({
        euiccSignatureInvalid: 1,
        confirmationCodeMissing: 2,
        confirmationCodeRefused: 3,
        confirmationCodeRetriesExceeded: 4,
        bppRebindingRefused: 5,
        downloadOrderExpired: 6,
        invalidTransactionId: 95,
        undefinedError: 127,
      }),
    }),
  ),
);
export type GetBoundProfilePackageResponse = ValueOf<typeof GetBoundProfilePackageResponse>;

export const HandleNotification = rsp(
  'HandleNotification',
  tag(61, sequence({ pendingNotification: PendingNotification })),
);
export type HandleNotification = ValueOf<typeof HandleNotification>;

export const CancelSessionRequestEs9 = rsp(
  'CancelSessionRequestEs9',
  tag(65, sequence({ transactionId: TransactionId, cancelSessionResponse: CancelSessionResponse })),
);
export type CancelSessionRequestEs9 = ValueOf<typeof CancelSessionRequestEs9>;

export const CancelSessionOk = rsp('CancelSessionOk', sequence({}));
export type CancelSessionOk = ValueOf<typeof CancelSessionOk>;

export const CancelSessionResponseEs9 = rsp(
  'CancelSessionResponseEs9',
  tag(
    65,
    choice({
      cancelSessionOk: CancelSessionOk,
      cancelSessionError: integer({ invalidTransactionId: 1, euiccSignatureInvalid: 2, undefinedError: 127 }),
    }),
  ),
);
export type CancelSessionResponseEs9 = ValueOf<typeof CancelSessionResponseEs9>;

export const EventEntries = rsp(
  'EventEntries',
  sequence({ eventId: UTF8String, rspServerAddress: UTF8String }),
);
export type EventEntries = ValueOf<typeof EventEntries>;

export const AuthenticateClientOkEs11 = rsp(
  'AuthenticateClientOkEs11',
  sequence({ transactionId: TransactionId, eventEntries: sequenceOf(EventEntries) }),
);
export type AuthenticateClientOkEs11 = ValueOf<typeof AuthenticateClientOkEs11>;

export const AuthenticateClientResponseEs11 = rsp(
  'AuthenticateClientResponseEs11',
  tag(
    64,
    choice({
      authenticateClientOk: AuthenticateClientOkEs11,
      authenticateClientError: integer({
        eumCertificateInvalid: 1,
        eumCertificateExpired: 2,
        euiccCertificateInvalid: 3,
        euiccCertificateExpired: 4,
        euiccSignatureInvalid: 5,
        eventIdUnknown: 6,
        invalidTransactionId: 7,
        undefinedError: 127,
      }),
    }),
  ),
);
export type AuthenticateClientResponseEs11 = ValueOf<typeof AuthenticateClientResponseEs11>;

export const RemoteProfileProvisioningRequest = rsp(
  'RemoteProfileProvisioningRequest',
  tag(
    2,
    choice({
      initiateAuthenticationRequest: tag(57, InitiateAuthenticationRequest),
      authenticateClientRequest: tag(59, AuthenticateClientRequest),
      getBoundProfilePackageRequest: tag(58, GetBoundProfilePackageRequest),
      cancelSessionRequestEs9: tag(65, CancelSessionRequestEs9),
      handleNotification: tag(61, HandleNotification),
    }),
  ),
);
export type RemoteProfileProvisioningRequest = ValueOf<typeof RemoteProfileProvisioningRequest>;

export const RemoteProfileProvisioningResponse = rsp(
  'RemoteProfileProvisioningResponse',
  tag(
    2,
    choice({
      initiateAuthenticationResponse: tag(57, InitiateAuthenticationResponse),
      authenticateClientResponseEs9: tag(59, AuthenticateClientResponseEs9),
      getBoundProfilePackageResponse: tag(58, GetBoundProfilePackageResponse),
      cancelSessionResponseEs9: tag(65, CancelSessionResponseEs9),
      authenticateClientResponseEs11: tag(64, AuthenticateClientResponseEs11),
    }),
  ),
);
export type RemoteProfileProvisioningResponse = ValueOf<typeof RemoteProfileProvisioningResponse>;

/** SGP.22 common mutual authentication (ES10b AuthenticateServer) and CancelSession. */
import { Certificate, SubjectKeyIdentifier } from '../pkix/index.js';
import {
  app,
  choice,
  integer,
  OBJECT_IDENTIFIER,
  OCTET_STRING,
  optional,
  sequence,
  tag,
  UTF8String,
  type ValueOf,
} from '../schema/index.js';
import { Octet16, TransactionId } from './common.js';
import { DeviceInfo, EUICCInfo2 } from './euicc-info.js';
import { rsp } from './module.js';

export const ServerSigned1 = rsp(
  'ServerSigned1',
  sequence({
    transactionId: tag(0, TransactionId),
    euiccChallenge: tag(1, Octet16),
    serverAddress: tag(3, UTF8String),
    serverChallenge: tag(4, Octet16),
  }),
);
export type ServerSigned1 = ValueOf<typeof ServerSigned1>;

export const CtxParamsForCommonAuthentication = rsp(
  'CtxParamsForCommonAuthentication',
  sequence({ matchingId: optional(UTF8String), deviceInfo: DeviceInfo }),
);
export type CtxParamsForCommonAuthentication = ValueOf<typeof CtxParamsForCommonAuthentication>;

export const CtxParams1 = rsp(
  'CtxParams1',
  choice({ ctxParamsForCommonAuthentication: CtxParamsForCommonAuthentication }),
);
export type CtxParams1 = ValueOf<typeof CtxParams1>;

export const AuthenticateServerRequest = rsp(
  'AuthenticateServerRequest',
  tag(
    56,
    sequence({
      serverSigned1: ServerSigned1,
      serverSignature1: tag(app(55), OCTET_STRING),
      euiccCiPKIdToBeUsed: SubjectKeyIdentifier,
      serverCertificate: Certificate,
      ctxParams1: CtxParams1,
    }),
  ),
);
export type AuthenticateServerRequest = ValueOf<typeof AuthenticateServerRequest>;

export const EuiccSigned1 = rsp(
  'EuiccSigned1',
  sequence({
    transactionId: tag(0, TransactionId),
    serverAddress: tag(3, UTF8String),
    serverChallenge: tag(4, Octet16),
    euiccInfo2: tag(34, EUICCInfo2),
    ctxParams1: CtxParams1,
  }),
);
export type EuiccSigned1 = ValueOf<typeof EuiccSigned1>;

export const AuthenticateResponseOk = rsp(
  'AuthenticateResponseOk',
  sequence({
    euiccSigned1: EuiccSigned1,
    euiccSignature1: tag(app(55), OCTET_STRING),
    euiccCertificate: Certificate,
    eumCertificate: Certificate,
  }),
);
export type AuthenticateResponseOk = ValueOf<typeof AuthenticateResponseOk>;

export const AuthenticateErrorCode = rsp(
  'AuthenticateErrorCode',
  integer({
    invalidCertificate: 1,
    invalidSignature: 2,
    unsupportedCurve: 3,
    noSessionContext: 4,
    invalidOid: 5,
    euiccChallengeMismatch: 6,
    ciPKUnknown: 7,
    undefinedError: 127,
  }),
);
export type AuthenticateErrorCode = ValueOf<typeof AuthenticateErrorCode>;

export const AuthenticateResponseError = rsp(
  'AuthenticateResponseError',
  sequence({ transactionId: tag(0, TransactionId), authenticateErrorCode: AuthenticateErrorCode }),
);
export type AuthenticateResponseError = ValueOf<typeof AuthenticateResponseError>;

export const AuthenticateServerResponse = rsp(
  'AuthenticateServerResponse',
  tag(
    56,
    choice({
      authenticateResponseOk: AuthenticateResponseOk,
      authenticateResponseError: AuthenticateResponseError,
    }),
  ),
);
export type AuthenticateServerResponse = ValueOf<typeof AuthenticateServerResponse>;

export const CancelSessionReason = rsp(
  'CancelSessionReason',
  integer({
    endUserRejection: 0,
    postponed: 1,
    timeout: 2,
    pprNotAllowed: 3,
    metadataMismatch: 4,
    loadBppExecutionError: 5,
    undefinedReason: 127,
  }),
);
export type CancelSessionReason = ValueOf<typeof CancelSessionReason>;

export const CancelSessionRequest = rsp(
  'CancelSessionRequest',
  tag(65, sequence({ transactionId: TransactionId, reason: CancelSessionReason })),
);
export type CancelSessionRequest = ValueOf<typeof CancelSessionRequest>;

export const EuiccCancelSessionSigned = rsp(
  'EuiccCancelSessionSigned',
  sequence({ transactionId: TransactionId, smdpOid: OBJECT_IDENTIFIER, reason: CancelSessionReason }),
);
export type EuiccCancelSessionSigned = ValueOf<typeof EuiccCancelSessionSigned>;

export const CancelSessionResponseOk = rsp(
  'CancelSessionResponseOk',
  sequence({
    euiccCancelSessionSigned: EuiccCancelSessionSigned,
    euiccCancelSessionSignature: tag(app(55), OCTET_STRING),
  }),
);
export type CancelSessionResponseOk = ValueOf<typeof CancelSessionResponseOk>;

export const CancelSessionResponse = rsp(
  'CancelSessionResponse',
  tag(
    65,
    choice({
      cancelSessionResponseOk: CancelSessionResponseOk,
      cancelSessionResponseError: integer({ invalidTransactionId: 5, undefinedError: 127 }),
    }),
  ),
);
export type CancelSessionResponse = ValueOf<typeof CancelSessionResponse>;

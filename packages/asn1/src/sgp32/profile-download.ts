/**
 * SGP.32 profile download: the eIM's download trigger and its result, and the IoT (possibly
 * compact) forms of the ES10b responses the IPA relays to the SM-DP+ through the eIM.
 */
import { Certificate } from '../pkix/index.js';
import {
  AuthenticateResponseError,
  CancelSessionReason,
  CancelSessionResponseOk,
  CtxParams1,
  Iccid,
  IconType,
  NotificationConfigurationInformation,
  Octet16,
  Octet32,
  OperatorId,
  PprIds,
  PrepareDownloadResponseError,
  PrepareDownloadResponseOk,
  ProfileClass,
  TransactionId,
  VendorSpecificExtension,
} from '../rsp/index.js';
import {
  app,
  BOOLEAN,
  choice,
  integer,
  NULL,
  OCTET_STRING,
  octetString,
  optional,
  sequence,
  sequenceOf,
  tag,
  UTF8String,
  utf8String,
  withDefault,
  type ValueOf,
} from '../schema/index.js';
import { EUICCInfo2 } from './common.js';
import { sgp32 } from './module.js';
import { ProfileInstallationResult } from './notifications.js';

export const ProfileDownloadData = sgp32(
  'ProfileDownloadData',
  choice({
    activationCode: tag(0, utf8String(0, 255)),
    contactDefaultSmdp: tag(1, NULL),
    contactSmds: tag(2, sequence({ smdsAddress: optional(UTF8String) })),
  }),
);
export type ProfileDownloadData = ValueOf<typeof ProfileDownloadData>;

/** `profileDownloadData [0]` tags an untagged CHOICE: EXPLICIT `A0 { 80 <AC> }`. */
export const ProfileDownloadTriggerRequest = sgp32(
  'ProfileDownloadTriggerRequest',
  tag(
    84,
    sequence({
      profileDownloadData: optional(tag(0, ProfileDownloadData)),
      eimTransactionId: optional(tag(2, TransactionId)),
    }),
  ),
);
export type ProfileDownloadTriggerRequest = ValueOf<typeof ProfileDownloadTriggerRequest>;

export const ProfileDownloadTriggerResult = sgp32(
  'ProfileDownloadTriggerResult',
  tag(
    84,
    sequence({
      eimTransactionId: optional(tag(2, TransactionId)),
      profileDownloadTriggerResultData: choice({
        profileInstallationResult: tag(55, ProfileInstallationResult),
        profileDownloadError: sequence({
          profileDownloadErrorReason: tag(0, integer({ ecallActive: 104, undefinedError: 127 })),
          errorResponse: optional(OCTET_STRING),
        }),
      }),
    }),
  ),
);
export type ProfileDownloadTriggerResult = ValueOf<typeof ProfileDownloadTriggerResult>;

export const StoreMetadataRequest = sgp32(
  'StoreMetadataRequest',
  tag(
    37,
    sequence({
      iccid: Iccid,
      serviceProviderName: tag(17, utf8String(0, 32)),
      profileName: tag(18, utf8String(0, 64)),
      iconType: optional(tag(19, IconType)),
      icon: optional(tag(20, octetString(0, 1024))),
      profileClass: withDefault(tag(21, ProfileClass), ProfileClass.values.operational),
      notificationConfigurationInfo: optional(tag(22, sequenceOf(NotificationConfigurationInformation))),
      profileOwner: optional(tag(23, OperatorId)),
      profilePolicyRules: optional(tag(25, PprIds)),
      serviceSpecificDataStoredInEuicc: optional(tag(34, VendorSpecificExtension)),
      serviceSpecificDataNotStoredInEuicc: optional(tag(35, VendorSpecificExtension)),
      ecallIndication: optional(tag(123, BOOLEAN)),
      fallbackAllowed: optional(tag(103, BOOLEAN)),
    }),
  ),
);
export type StoreMetadataRequest = ValueOf<typeof StoreMetadataRequest>;

export const CompactEuiccSigned2 = sgp32(
  'CompactEuiccSigned2',
  sequence({ euiccOtpk: optional(tag(app(73), OCTET_STRING)), hashCc: optional(Octet32) }),
);
export type CompactEuiccSigned2 = ValueOf<typeof CompactEuiccSigned2>;

export const CompactPrepareDownloadResponseOk = sgp32(
  'CompactPrepareDownloadResponseOk',
  sequence({ compactEuiccSigned2: CompactEuiccSigned2, euiccSignature2: tag(app(55), OCTET_STRING) }),
);
export type CompactPrepareDownloadResponseOk = ValueOf<typeof CompactPrepareDownloadResponseOk>;

export const PrepareDownloadResponse = sgp32(
  'PrepareDownloadResponse',
  tag(
    33,
    choice({
      downloadResponseOk: PrepareDownloadResponseOk,
      downloadResponseError: PrepareDownloadResponseError,
      compactDownloadResponseOk: CompactPrepareDownloadResponseOk,
    }),
  ),
);
export type PrepareDownloadResponse = ValueOf<typeof PrepareDownloadResponse>;

export const EuiccSigned1 = sgp32(
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

export const AuthenticateResponseOk = sgp32(
  'AuthenticateResponseOk',
  sequence({
    euiccSigned1: EuiccSigned1,
    euiccSignature1: tag(app(55), OCTET_STRING),
    euiccCertificate: Certificate,
    eumCertificate: Certificate,
  }),
);
export type AuthenticateResponseOk = ValueOf<typeof AuthenticateResponseOk>;

export const CompactEuiccSigned1 = sgp32(
  'CompactEuiccSigned1',
  sequence({ extCardResource: tag(4, OCTET_STRING), ctxParams1: optional(tag(2, CtxParams1)) }),
);
export type CompactEuiccSigned1 = ValueOf<typeof CompactEuiccSigned1>;

export const CompactAuthenticateResponseOk = sgp32(
  'CompactAuthenticateResponseOk',
  sequence({
    signedData: choice({ euiccSigned1: EuiccSigned1, compactEuiccSigned1: tag(0, CompactEuiccSigned1) }),
    euiccSignature1: tag(app(55), OCTET_STRING),
    euiccCertificate: optional(tag(1, Certificate)),
    eumCertificate: optional(tag(2, Certificate)),
  }),
);
export type CompactAuthenticateResponseOk = ValueOf<typeof CompactAuthenticateResponseOk>;

export const AuthenticateServerResponse = sgp32(
  'AuthenticateServerResponse',
  tag(
    56,
    choice({
      authenticateResponseOk: AuthenticateResponseOk,
      authenticateResponseError: AuthenticateResponseError,
      compactAuthenticateResponseOk: CompactAuthenticateResponseOk,
    }),
  ),
);
export type AuthenticateServerResponse = ValueOf<typeof AuthenticateServerResponse>;

export const AuthenticateClientRequest = sgp32(
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

export const CompactEuiccCancelSessionSigned = sgp32(
  'CompactEuiccCancelSessionSigned',
  sequence({ reason: optional(CancelSessionReason) }),
);
export type CompactEuiccCancelSessionSigned = ValueOf<typeof CompactEuiccCancelSessionSigned>;

export const CompactCancelSessionResponseOk = sgp32(
  'CompactCancelSessionResponseOk',
  sequence({
    compactEuiccCancelSessionSigned: CompactEuiccCancelSessionSigned,
    euiccCancelSessionSignature: tag(app(55), OCTET_STRING),
  }),
);
export type CompactCancelSessionResponseOk = ValueOf<typeof CompactCancelSessionResponseOk>;

export const CancelSessionResponse = sgp32(
  'CancelSessionResponse',
  tag(
    65,
    choice({
      cancelSessionResponseOk: CancelSessionResponseOk,
      cancelSessionResponseError: integer({ invalidTransactionId: 5, undefinedError: 127 }),
      compactCancelSessionResponseOk: CompactCancelSessionResponseOk,
    }),
  ),
);
export type CancelSessionResponse = ValueOf<typeof CancelSessionResponse>;

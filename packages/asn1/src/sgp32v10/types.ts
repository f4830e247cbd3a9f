/**
 * SGP.32 v1.0.1 types whose wire form (or component names) differ from v1.2, and the containers
 * needed to reach them. Everything else of the v1.0.1 module decodes identically with the v1.2
 * type, which index.ts re-exports under the v1.0.1 name. See docs/INTERPRETATION.md.
 */
import { Certificate, SubjectKeyIdentifier, SubjectPublicKeyInfo } from '../pkix/index.js';
import {
  DeviceInfo,
  EUICCInfo1,
  Iccid,
  NotificationEvent,
  Octet16,
  ProfileInfoListRequest,
  RulesAuthorisationTable,
  TransactionId,
} from '../rsp/index.js';
import {
  app,
  choice,
  integer,
  NULL,
  OBJECT_IDENTIFIER,
  OCTET_STRING,
  octetString,
  optional,
  sequence,
  sequenceOf,
  tag,
  UTF8String,
  type ValueOf,
} from '../schema/index.js';
import {
  AddEimResult,
  DeleteEimResult,
  DeleteProfileResult,
  DisableProfileResult,
  EimAcknowledgements,
  EimIdType,
  EimSupportedProtocol,
  EnableProfileResult,
  EuiccPackageErrorCode,
  EUICCInfo2,
  IpaCapabilities,
  PendingNotification,
  ProfileDownloadTriggerRequest,
  ProfileInfoListResponse,
  ProfileInstallationResult,
  RollbackProfileResult,
  UpdateEimResult,
} from './reused.js';
import { sgp32v10 } from './module.js';

// ---- eUICC package request (component names of v1.0.1; wire identical to v1.2 for common PSMOs)

export const EimConfigurationData = sgp32v10(
  'EimConfigurationData',
  sequence({
    eimId: tag(0, UTF8String),
    eimFqdn: optional(tag(1, UTF8String)),
    eimIdType: optional(tag(2, EimIdType)),
    counterValue: optional(tag(3, integer())),
    associationToken: optional(tag(4, integer())),
    eimPublicKeyData: optional(
      tag(5, choice({ eimPublicKey: SubjectPublicKeyInfo, eimCertificate: Certificate })),
    ),
    trustedPublicKeyDataTls: optional(
      tag(6, choice({ trustedEimPkTls: SubjectPublicKeyInfo, trustedCertificateTls: Certificate })),
    ),
    eimSupportedProtocol: optional(tag(7, EimSupportedProtocol)),
    euiccCiPKId: optional(tag(8, SubjectKeyIdentifier)),
  }),
);
export type EimConfigurationData = ValueOf<typeof EimConfigurationData>;

export const Eco = sgp32v10(
  'Eco',
  choice({
    addEim: tag(8, EimConfigurationData),
    deleteEim: tag(9, sequence({ eimId: tag(0, UTF8String) })),
    updateEim: tag(10, EimConfigurationData),
    listEim: tag(11, sequence({})),
  }),
);
export type Eco = ValueOf<typeof Eco>;

export const Psmo = sgp32v10(
  'Psmo',
  choice({
    enable: tag(3, sequence({ iccid: tag(app(26), Iccid), rollbackFlag: optional(NULL) })),
    disable: tag(4, sequence({ iccid: tag(app(26), Iccid) })),
    delete: tag(5, sequence({ iccid: tag(app(26), Iccid) })),
    listProfileInfo: tag(45, ProfileInfoListRequest),
    getRAT: tag(6, sequence({})),
    configureAutoEnable: tag(
      7,
      sequence({
        autoEnableFlag: optional(tag(0, NULL)),
        smdpOid: optional(tag(1, OBJECT_IDENTIFIER)),
        smdpAddress: optional(tag(2, UTF8String)),
      }),
    ),
  }),
);
export type Psmo = ValueOf<typeof Psmo>;

export const EuiccPackage = sgp32v10(
  'EuiccPackage',
  choice({ psmoList: sequenceOf(Psmo), ecoList: sequenceOf(Eco) }),
);
export type EuiccPackage = ValueOf<typeof EuiccPackage>;

export const EuiccPackageSigned = sgp32v10(
  'EuiccPackageSigned',
  sequence({
    eimId: tag(0, UTF8String),
    eidValue: tag(app(26), Octet16),
    counterValue: tag(1, integer()),
    transactionId: optional(tag(2, TransactionId)),
    euiccPackage: EuiccPackage,
  }),
);
export type EuiccPackageSigned = ValueOf<typeof EuiccPackageSigned>;

export const EuiccPackageRequest = sgp32v10(
  'EuiccPackageRequest',
  tag(81, sequence({ euiccPackageSigned: EuiccPackageSigned, eimSignature: tag(app(55), OCTET_STRING) })),
);
export type EuiccPackageRequest = ValueOf<typeof EuiccPackageRequest>;

/** v1.0.1: one searchCriteria [1] with a third alternative euiccPackageResults [2] NULL. */
export const IpaEuiccDataRequest = sgp32v10(
  'IpaEuiccDataRequest',
  tag(
    82,
    sequence({
      tagList: tag(app(28), OCTET_STRING),
      euiccCiPKId: optional(SubjectKeyIdentifier),
      searchCriteria: optional(
        tag(
          1,
          choice({
            seqNumber: tag(0, integer()),
            profileManagementOperation: tag(1, NotificationEvent),
            euiccPackageResults: tag(2, NULL),
          }),
        ),
      ),
    }),
  ),
);
export type IpaEuiccDataRequest = ValueOf<typeof IpaEuiccDataRequest>;

export const AddInitialEimRequest = sgp32v10(
  'AddInitialEimRequest',
  tag(87, sequence({ eimConfigurationDataList: tag(0, sequenceOf(EimConfigurationData)) })),
);
export type AddInitialEimRequest = ValueOf<typeof AddInitialEimRequest>;

export const GetEimConfigurationDataResponse = sgp32v10(
  'GetEimConfigurationDataResponse',
  tag(85, sequence({ eimConfigurationDataList: tag(0, sequenceOf(EimConfigurationData)) })),
);
export type GetEimConfigurationDataResponse = ValueOf<typeof GetEimConfigurationDataResponse>;

// ---- eUICC package result (EimIdInfo.eimIdType was [4], v1.2 moved it to [2])

export const EimIdInfo = sgp32v10(
  'EimIdInfo',
  sequence({ eimId: tag(0, UTF8String), eimIdType: optional(tag(4, EimIdType)) }),
);
export type EimIdInfo = ValueOf<typeof EimIdInfo>;

export const ListEimResult = sgp32v10(
  'ListEimResult',
  choice({
    eimIdList: sequenceOf(EimIdInfo),
    listEimError: integer({ commandError: 7, undefinedError: 127 }),
  }),
);
export type ListEimResult = ValueOf<typeof ListEimResult>;

export const ConfigureAutoEnableResult = sgp32v10(
  'ConfigureAutoEnableResult',
  integer({ ok: 0, insufficientMemory: 1, commandError: 7, undefinedError: 127 }),
);
export type ConfigureAutoEnableResult = ValueOf<typeof ConfigureAutoEnableResult>;

export const EuiccResultData = sgp32v10(
  'EuiccResultData',
  choice({
    enableResult: tag(3, EnableProfileResult),
    disableResult: tag(4, DisableProfileResult),
    deleteResult: tag(5, DeleteProfileResult),
    listProfileInfoResult: tag(45, ProfileInfoListResponse),
    getRATResult: tag(6, RulesAuthorisationTable),
    configureAutoEnableResult: tag(7, ConfigureAutoEnableResult),
    addEimResult: tag(8, AddEimResult),
    deleteEimResult: tag(9, DeleteEimResult),
    updateEimResult: tag(10, UpdateEimResult),
    listEimResult: tag(11, ListEimResult),
    rollbackResult: tag(12, RollbackProfileResult),
    processingTerminated: integer({
      resultSizeOverflow: 1,
      unknownOrDamagedCommand: 2,
      interruption: 3,
      undefinedError: 127,
    }),
  }),
);
export type EuiccResultData = ValueOf<typeof EuiccResultData>;

export const EuiccPackageResultDataSigned = sgp32v10(
  'EuiccPackageResultDataSigned',
  sequence({
    eimId: tag(0, UTF8String),
    counterValue: tag(1, integer()),
    transactionId: optional(tag(2, TransactionId)),
    seqNumber: tag(3, integer()),
    euiccResult: sequenceOf(EuiccResultData),
  }),
);
export type EuiccPackageResultDataSigned = ValueOf<typeof EuiccPackageResultDataSigned>;

export const EuiccPackageResultSigned = sgp32v10(
  'EuiccPackageResultSigned',
  sequence({
    euiccPackageResultDataSigned: EuiccPackageResultDataSigned,
    euiccSignEPR: tag(app(55), OCTET_STRING),
  }),
);
export type EuiccPackageResultSigned = ValueOf<typeof EuiccPackageResultSigned>;

export const EuiccPackageErrorDataSigned = sgp32v10(
  'EuiccPackageErrorDataSigned',
  sequence({
    eimId: tag(0, UTF8String),
    counterValue: tag(1, integer()),
    transactionId: optional(tag(2, TransactionId)),
    euiccPackageErrorCode: EuiccPackageErrorCode,
  }),
);
export type EuiccPackageErrorDataSigned = ValueOf<typeof EuiccPackageErrorDataSigned>;

export const EuiccPackageErrorSigned = sgp32v10(
  'EuiccPackageErrorSigned',
  sequence({
    euiccPackageErrorDataSigned: EuiccPackageErrorDataSigned,
    euiccSignEPE: tag(app(55), OCTET_STRING),
  }),
);
export type EuiccPackageErrorSigned = ValueOf<typeof EuiccPackageErrorSigned>;

export const EuiccPackageErrorUnsigned = sgp32v10(
  'EuiccPackageErrorUnsigned',
  sequence({ eimId: tag(0, UTF8String), associationToken: optional(tag(4, integer())) }),
);
export type EuiccPackageErrorUnsigned = ValueOf<typeof EuiccPackageErrorUnsigned>;

export const EuiccPackageResult = sgp32v10(
  'EuiccPackageResult',
  tag(
    81,
    choice({
      euiccPackageResultSigned: EuiccPackageResultSigned,
      euiccPackageErrorSigned: EuiccPackageErrorSigned,
      euiccPackageErrorUnsigned: EuiccPackageErrorUnsigned,
    }),
  ),
);
export type EuiccPackageResult = ValueOf<typeof EuiccPackageResult>;

export const ProfileRollbackResponse = sgp32v10(
  'ProfileRollbackResponse',
  tag(
    88,
    sequence({
      cmdResult: integer({ ok: 0, rollbackNotAllowed: 1, catBusy: 5, commandError: 7, undefinedError: 127 }),
      eUICCPackageResult: optional(tag(81, EuiccPackageResult)),
    }),
  ),
);
export type ProfileRollbackResponse = ValueOf<typeof ProfileRollbackResponse>;

// ---- notifications list with the v1.0.1 fourth alternative

export const RetrieveNotificationsListResponse = sgp32v10(
  'RetrieveNotificationsListResponse',
  tag(
    43,
    choice({
      notificationList: sequenceOf(PendingNotification),
      notificationsListResultError: integer({ undefinedError: 127 }),
      euiccPackageResultList: sequenceOf(EuiccPackageResult),
      notificationAndEprList: sequence({
        notificationList: sequenceOf(PendingNotification),
        euiccPackageResultList: sequenceOf(EuiccPackageResult),
      }),
    }),
  ),
);
export type RetrieveNotificationsListResponse = ValueOf<typeof RetrieveNotificationsListResponse>;

// ---- eUICC data (different field tags, INTEGER error alternative)

export const IpaEuiccData = sgp32v10(
  'IpaEuiccData',
  sequence({
    defaultSmdpAddress: optional(tag(0, UTF8String)),
    euiccInfo1: optional(tag(32, EUICCInfo1)),
    euiccInfo2: optional(tag(34, EUICCInfo2)),
    rootSmdsAddress: optional(tag(3, UTF8String)),
    associationToken: optional(tag(4, integer())),
    eumCertificate: optional(tag(5, Certificate)),
    euiccCertificate: optional(tag(6, Certificate)),
    ipaCapabilities: optional(tag(8, IpaCapabilities)),
    deviceInfo: optional(tag(9, DeviceInfo)),
    notificationsList: optional(tag(43, RetrieveNotificationsListResponse)),
  }),
);
export type IpaEuiccData = ValueOf<typeof IpaEuiccData>;

export const IpaEuiccDataResponse = sgp32v10(
  'IpaEuiccDataResponse',
  tag(
    82,
    choice({
      ipaEuiccData: IpaEuiccData,
      ipaEuiccDataError: integer({ incorrectTagList: 1, euiccCiPKIdNotFound: 5, undefinedError: 127 }),
    }),
  ),
);
export type IpaEuiccDataResponse = ValueOf<typeof IpaEuiccDataResponse>;

/** v1.0.1's error SEQUENCE has one untagged component, so it is automatically tagged `80`. */
export const ProfileDownloadTriggerResult = sgp32v10(
  'ProfileDownloadTriggerResult',
  tag(
    84,
    sequence({
      eimTransactionId: optional(tag(2, TransactionId)),
      profileDownloadTriggerResultData: choice({
        profileInstallationResult: tag(55, ProfileInstallationResult),
        profileDownloadError: sequence({ errorResponse: optional(OCTET_STRING) }),
      }),
    }),
  ),
);
export type ProfileDownloadTriggerResult = ValueOf<typeof ProfileDownloadTriggerResult>;

// ---- ES10b functions renamed in v1.2

export const EnableUsingDDRequest = sgp32v10('EnableUsingDDRequest', tag(90, sequence({})));
export type EnableUsingDDRequest = ValueOf<typeof EnableUsingDDRequest>;

export const EnableUsingDDResponse = sgp32v10(
  'EnableUsingDDResponse',
  tag(
    90,
    sequence({
      enableUsingDDResult: tag(
        0,
        integer({ ok: 0, autoEnableNotAvailable: 1, noSessionContext: 4, undefinedError: 127 }),
      ),
    }),
  ),
);
export type EnableUsingDDResponse = ValueOf<typeof EnableUsingDDResponse>;

export const ConfigureAutoProfileEnablingRequest = sgp32v10(
  'ConfigureAutoProfileEnablingRequest',
  tag(
    89,
    sequence({
      autoEnableFlag: optional(tag(0, NULL)),
      smdpOid: optional(tag(1, OBJECT_IDENTIFIER)),
      smdpAddress: optional(tag(2, UTF8String)),
    }),
  ),
);
export type ConfigureAutoProfileEnablingRequest = ValueOf<typeof ConfigureAutoProfileEnablingRequest>;

export const ConfigureAutoProfileEnablingResponse = sgp32v10(
  'ConfigureAutoProfileEnablingResponse',
  tag(
    89,
    sequence({
      configAutoEnableResult: tag(
        0,
        integer({ ok: 0, insufficientMemory: 1, unsignedAutoEnableConfigDisallowed: 2, undefinedError: 127 }),
      ),
    }),
  ),
);
export type ConfigureAutoProfileEnablingResponse = ValueOf<typeof ConfigureAutoProfileEnablingResponse>;

// ---- ESipa messages

/** v1.0.1: rPLMN was [1]; v1.2 put stateChangeCause at [1] and rPLMN at [2]. */
export const GetEimPackageRequest = sgp32v10(
  'GetEimPackageRequest',
  tag(
    79,
    sequence({
      eidValue: tag(app(26), Octet16),
      notifyStateChange: optional(tag(0, NULL)),
      rPLMN: optional(tag(1, octetString(3))),
    }),
  ),
);
export type GetEimPackageRequest = ValueOf<typeof GetEimPackageRequest>;

export const GetEimPackageResponse = sgp32v10(
  'GetEimPackageResponse',
  tag(
    79,
    choice({
      euiccPackageRequest: tag(81, EuiccPackageRequest),
      ipaEuiccDataRequest: tag(82, IpaEuiccDataRequest),
      profileDownloadTriggerRequest: tag(84, ProfileDownloadTriggerRequest),
      eimPackageError: integer({ noEimPackageAvailable: 1, undefinedError: 127 }),
    }),
  ),
);
export type GetEimPackageResponse = ValueOf<typeof GetEimPackageResponse>;

/** v1.0.1: a CHOICE (no eidValue); notificationList was [43]. */
export const ProvideEimPackageResult = sgp32v10(
  'ProvideEimPackageResult',
  tag(
    80,
    choice({
      euiccPackageResult: tag(81, EuiccPackageResult),
      ePRAndNotifications: sequence({
        euiccPackageResult: tag(81, EuiccPackageResult),
        notificationList: tag(43, RetrieveNotificationsListResponse),
      }),
      ipaEuiccDataResponse: tag(82, IpaEuiccDataResponse),
      profileDownloadTriggerResult: tag(84, ProfileDownloadTriggerResult),
      eimPackageError: integer({ invalidPackageFormat: 1, unknownPackage: 2, undefinedError: 127 }),
    }),
  ),
);
export type ProvideEimPackageResult = ValueOf<typeof ProvideEimPackageResult>;

/** v1.0.1: a SEQUENCE; the empty answer is `BF50 00` (v1.2: `BF50 02 30 00`). */
export const ProvideEimPackageResultResponse = sgp32v10(
  'ProvideEimPackageResultResponse',
  tag(80, sequence({ eimAcknowledgements: optional(tag(83, EimAcknowledgements)) })),
);
export type ProvideEimPackageResultResponse = ValueOf<typeof ProvideEimPackageResultResponse>;

/** v1.0.1: alternatives untagged, so automatic: `A0 {alt}` and `A1` replacing ProvideEimPackageResult's BF50. */
export const HandleNotificationEsipa = sgp32v10(
  'HandleNotificationEsipa',
  tag(
    61,
    choice({ pendingNotification: PendingNotification, provideEimPackageResult: ProvideEimPackageResult }),
  ),
);
export type HandleNotificationEsipa = ValueOf<typeof HandleNotificationEsipa>;

export const TransferEimPackageRequest = sgp32v10(
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

export const TransferEimPackageResponse = sgp32v10(
  'TransferEimPackageResponse',
  tag(
    78,
    choice({
      euiccPackageResult: tag(81, EuiccPackageResult),
      ePRAndNotifications: sequence({
        euiccPackageResult: tag(81, EuiccPackageResult),
        notificationList: tag(43, RetrieveNotificationsListResponse),
      }),
      ipaEuiccDataResponse: tag(82, IpaEuiccDataResponse),
      eimPackageReceived: NULL,
      eimPackageError: integer({ invalidPackageFormat: 1, unknownPackage: 2, undefinedError: 127 }),
    }),
  ),
);
export type TransferEimPackageResponse = ValueOf<typeof TransferEimPackageResponse>;

/**
 * SGP.32 eUICC packages: the eIM-signed request (PSMOs or eCOs) and the eUICC's result, signed
 * or not. `derOf(request.euiccPackageSigned)` / `derOf(result...DataSigned)` give the signed bytes.
 */
import {
  Iccid,
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
  optional,
  sequence,
  sequenceOf,
  tag,
  UTF8String,
  utf8String,
  type ValueOf,
} from '../schema/index.js';
import {
  EimIdType,
  ProfileInfoListResponse,
  SetDefaultDpAddressRequest,
  SetDefaultDpAddressResponse,
} from './common.js';
import { EimConfigurationData } from './eim-configuration.js';
import { sgp32 } from './module.js';

export const Psmo = sgp32(
  'Psmo',
  choice({
    enable: tag(3, sequence({ iccid: tag(app(26), Iccid), rollbackFlag: optional(NULL) })),
    disable: tag(4, sequence({ iccid: tag(app(26), Iccid) })),
    delete: tag(5, sequence({ iccid: tag(app(26), Iccid) })),
    listProfileInfo: tag(45, ProfileInfoListRequest),
    getRAT: tag(6, sequence({})),
    configureImmediateEnable: tag(
      7,
      sequence({
        immediateEnableFlag: optional(tag(0, NULL)),
        defaultSmdpOid: optional(tag(1, OBJECT_IDENTIFIER)),
        defaultSmdpAddress: optional(tag(2, UTF8String)),
      }),
    ),
    setFallbackAttribute: tag(8, sequence({ iccid: tag(app(26), Iccid) })),
    unsetFallbackAttribute: tag(9, sequence({})),
    setDefaultDpAddress: tag(101, SetDefaultDpAddressRequest),
  }),
);
export type Psmo = ValueOf<typeof Psmo>;

export const Eco = sgp32(
  'Eco',
  choice({
    addEim: tag(8, EimConfigurationData),
    deleteEim: tag(9, sequence({ eimId: tag(0, UTF8String) })),
    updateEim: tag(10, EimConfigurationData),
    listEim: tag(11, sequence({})),
  }),
);
export type Eco = ValueOf<typeof Eco>;

export const EuiccPackage = sgp32(
  'EuiccPackage',
  choice({ psmoList: sequenceOf(Psmo), ecoList: sequenceOf(Eco) }),
);
export type EuiccPackage = ValueOf<typeof EuiccPackage>;

export const EuiccPackageSigned = sgp32(
  'EuiccPackageSigned',
  sequence({
    eimId: tag(0, utf8String(1, 128)),
    eidValue: tag(app(26), Octet16),
    counterValue: tag(1, integer()),
    eimTransactionId: optional(tag(2, TransactionId)),
    euiccPackage: EuiccPackage,
  }),
);
export type EuiccPackageSigned = ValueOf<typeof EuiccPackageSigned>;

export const EuiccPackageRequest = sgp32(
  'EuiccPackageRequest',
  tag(81, sequence({ euiccPackageSigned: EuiccPackageSigned, eimSignature: tag(app(55), OCTET_STRING) })),
);
export type EuiccPackageRequest = ValueOf<typeof EuiccPackageRequest>;

// ---- results of the individual operations

export const ConfigureImmediateEnableResult = sgp32(
  'ConfigureImmediateEnableResult',
  integer({ ok: 0, insufficientMemory: 1, commandError: 7, undefinedError: 127 }),
);
export type ConfigureImmediateEnableResult = ValueOf<typeof ConfigureImmediateEnableResult>;

export const EnableProfileResult = sgp32(
  'EnableProfileResult',
  integer({
    ok: 0,
    iccidOrAidNotFound: 1,
    profileNotInDisabledState: 2,
    disallowedByPolicy: 3,
    catBusy: 5,
    rollbackNotAvailable: 20,
    undefinedError: 127,
  }),
);
export type EnableProfileResult = ValueOf<typeof EnableProfileResult>;

export const DisableProfileResult = sgp32(
  'DisableProfileResult',
  integer({
    ok: 0,
    iccidOrAidNotFound: 1,
    profileNotInEnabledState: 2,
    disallowedByPolicy: 3,
    catBusy: 5,
    undefinedError: 127,
  }),
);
export type DisableProfileResult = ValueOf<typeof DisableProfileResult>;

export const DeleteProfileResult = sgp32(
  'DeleteProfileResult',
  integer({
    ok: 0,
    iccidOrAidNotFound: 1,
    profileNotInDisabledState: 2,
    disallowedByPolicy: 3,
    rollbackNotAvailable: 20,
    returnFallbackProfile: 21,
    undefinedError: 127,
  }),
);
export type DeleteProfileResult = ValueOf<typeof DeleteProfileResult>;

export const RollbackProfileResult = sgp32('RollbackProfileResult', integer({ ok: 0, undefinedError: 127 }));
export type RollbackProfileResult = ValueOf<typeof RollbackProfileResult>;

export const SetFallbackAttributeResult = sgp32(
  'SetFallbackAttributeResult',
  integer({
    ok: 0,
    iccidOrAidNotFound: 1,
    fallbackNotAllowed: 2,
    fallbackProfileEnabled: 3,
    undefinedError: 127,
  }),
);
export type SetFallbackAttributeResult = ValueOf<typeof SetFallbackAttributeResult>;

export const UnsetFallbackAttributeResult = sgp32(
  'UnsetFallbackAttributeResult',
  integer({ ok: 0, noFallbackAttribute: 2, fallbackProfileEnabled: 3, commandError: 7, undefinedError: 127 }),
);
export type UnsetFallbackAttributeResult = ValueOf<typeof UnsetFallbackAttributeResult>;

export const AddEimResult = sgp32(
  'AddEimResult',
  choice({
    associationToken: tag(4, integer()),
    addEimResultCode: integer({
      ok: 0,
      insufficientMemory: 1,
      associatedEimAlreadyExists: 2,
      ciPKUnknown: 3,
      invalidAssociationToken: 5,
      counterValueOutOfRange: 6,
      commandError: 7,
      undefinedError: 127,
    }),
  }),
);
export type AddEimResult = ValueOf<typeof AddEimResult>;

export const DeleteEimResult = sgp32(
  'DeleteEimResult',
  integer({ ok: 0, eimNotFound: 1, lastEimDeleted: 2, commandError: 7, undefinedError: 127 }),
);
export type DeleteEimResult = ValueOf<typeof DeleteEimResult>;

export const UpdateEimResult = sgp32(
  'UpdateEimResult',
  integer({
    ok: 0,
    eimNotFound: 1,
    ciPKUnknown: 3,
    counterValueOutOfRange: 6,
    commandError: 7,
    undefinedError: 127,
  }),
);
export type UpdateEimResult = ValueOf<typeof UpdateEimResult>;

export const EimIdInfo = sgp32(
  'EimIdInfo',
  sequence({ eimId: tag(0, utf8String(1, 128)), eimIdType: optional(tag(2, EimIdType)) }),
);
export type EimIdInfo = ValueOf<typeof EimIdInfo>;

export const ListEimResult = sgp32(
  'ListEimResult',
  choice({ eimIdList: sequenceOf(EimIdInfo), listEimError: integer({ undefinedError: 127 }) }),
);
export type ListEimResult = ValueOf<typeof ListEimResult>;

export const EuiccResultData = sgp32(
  'EuiccResultData',
  choice({
    enableResult: tag(3, EnableProfileResult),
    disableResult: tag(4, DisableProfileResult),
    deleteResult: tag(5, DeleteProfileResult),
    listProfileInfoResult: tag(45, ProfileInfoListResponse),
    getRATResult: tag(6, RulesAuthorisationTable),
    configureImmediateEnableResult: tag(7, ConfigureImmediateEnableResult),
    addEimResult: tag(8, AddEimResult),
    deleteEimResult: tag(9, DeleteEimResult),
    updateEimResult: tag(10, UpdateEimResult),
    listEimResult: tag(11, ListEimResult),
    rollbackResult: tag(12, RollbackProfileResult),
    setFallbackAttributeResult: tag(13, SetFallbackAttributeResult),
    unsetFallbackAttributeResult: tag(14, UnsetFallbackAttributeResult),
    processingTerminated: integer({
      resultSizeOverflow: 1,
      unknownOrDamagedCommand: 2,
      interruption: 3,
      undefinedError: 127,
    }),
    setDefaultDpAddressResult: tag(101, SetDefaultDpAddressResponse),
  }),
);
export type EuiccResultData = ValueOf<typeof EuiccResultData>;

// ---- the three forms of EuiccPackageResult

export const EuiccPackageResultDataSigned = sgp32(
  'EuiccPackageResultDataSigned',
  sequence({
    eimId: tag(0, utf8String(1, 128)),
    counterValue: tag(1, integer()),
    eimTransactionId: optional(tag(2, TransactionId)),
    seqNumber: tag(3, integer()),
    euiccResult: sequenceOf(EuiccResultData),
  }),
);
export type EuiccPackageResultDataSigned = ValueOf<typeof EuiccPackageResultDataSigned>;

export const EuiccPackageResultSigned = sgp32(
  'EuiccPackageResultSigned',
  sequence({
    euiccPackageResultDataSigned: EuiccPackageResultDataSigned,
    euiccSignEPR: tag(app(55), OCTET_STRING),
  }),
);
export type EuiccPackageResultSigned = ValueOf<typeof EuiccPackageResultSigned>;

export const EuiccPackageErrorCode = sgp32(
  'EuiccPackageErrorCode',
  integer({
    invalidEid: 3,
    replayError: 4,
    counterValueOutOfRange: 6,
    sizeOverflow: 15,
    ecallActive: 104,
    undefinedError: 127,
  }),
);
export type EuiccPackageErrorCode = ValueOf<typeof EuiccPackageErrorCode>;

export const EuiccPackageErrorDataSigned = sgp32(
  'EuiccPackageErrorDataSigned',
  sequence({
    eimId: tag(0, utf8String(1, 128)),
    counterValue: tag(1, integer()),
    eimTransactionId: optional(tag(2, TransactionId)),
    euiccPackageErrorCode: EuiccPackageErrorCode,
  }),
);
export type EuiccPackageErrorDataSigned = ValueOf<typeof EuiccPackageErrorDataSigned>;

export const EuiccPackageErrorSigned = sgp32(
  'EuiccPackageErrorSigned',
  sequence({
    euiccPackageErrorDataSigned: EuiccPackageErrorDataSigned,
    euiccSignEPE: tag(app(55), OCTET_STRING),
  }),
);
export type EuiccPackageErrorSigned = ValueOf<typeof EuiccPackageErrorSigned>;

export const EuiccPackageErrorUnsigned = sgp32(
  'EuiccPackageErrorUnsigned',
  sequence({
    eimId: tag(0, utf8String(1, 128)),
    eimTransactionId: optional(tag(2, TransactionId)),
    associationToken: optional(tag(4, integer())),
  }),
);
export type EuiccPackageErrorUnsigned = ValueOf<typeof EuiccPackageErrorUnsigned>;

/** `[81] CHOICE`: EXPLICIT BF51 around A0 / A1 / A2 (automatic tags on the alternatives). */
export const EuiccPackageResult = sgp32(
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

export const EuiccPackageResultList = sgp32('EuiccPackageResultList', sequenceOf(EuiccPackageResult));
export type EuiccPackageResultList = ValueOf<typeof EuiccPackageResultList>;

/**
 * SGP.32 types used by several areas: the IoT ProfileInfo and EUICCInfo2 (which differ from the
 * SGP.22 types of the same name), identifiers and small enumerations.
 */
import {
  DpProprietaryData,
  Iccid,
  IconType,
  NotificationConfigurationInformation,
  OctetTo16,
  OperatorId,
  PprIds,
  ProfileClass,
  ProfileState,
  VendorSpecificExtension,
  VersionType,
  CertificationDataObject,
  RspCapability,
} from '../rsp/index.js';
import { UICCCapability } from '../pe/index.js';
import { SubjectKeyIdentifier } from '../pkix/index.js';
import {
  app,
  bitString,
  BOOLEAN,
  choice,
  integer,
  NULL,
  OCTET_STRING,
  octetString,
  optional,
  priv,
  sequence,
  sequenceOf,
  tag,
  UTF8String,
  utf8String,
  withDefault,
  type ValueOf,
} from '../schema/index.js';
import { sgp32 } from './module.js';

export const EimIdType = sgp32(
  'EimIdType',
  integer({ eimIdTypeOid: 1, eimIdTypeFqdn: 2, eimIdTypeProprietary: 3 }),
);
export type EimIdType = ValueOf<typeof EimIdType>;

export const IpaMode = sgp32('IpaMode', integer({ ipad: 0, ipae: 1 }));
export type IpaMode = ValueOf<typeof IpaMode>;

export const IoTSpecificInfo = sgp32(
  'IoTSpecificInfo',
  sequence({
    iotVersion: tag(0, sequenceOf(VersionType)),
    ecallSupported: optional(tag(1, NULL)),
    fallbackSupported: optional(tag(2, NULL)),
  }),
);
export type IoTSpecificInfo = ValueOf<typeof IoTSpecificInfo>;

/** SGP.32 EUICCInfo2 (`SGP32-EUICCInfo2` in the Osmocom copy): SGP.22's plus ipaMode, iotSpecificInfo... */
export const EUICCInfo2 = sgp32(
  'EUICCInfo2',
  tag(
    34,
    sequence({
      profileVersion: tag(1, VersionType),
      svn: tag(2, VersionType),
      euiccFirmwareVer: tag(3, VersionType),
      extCardResource: tag(4, OCTET_STRING),
      uiccCapability: tag(5, UICCCapability),
      ts102241Version: optional(tag(6, VersionType)),
      globalplatformVersion: optional(tag(7, VersionType)),
      rspCapability: tag(8, RspCapability),
      euiccCiPKIdListForVerification: tag(9, sequenceOf(SubjectKeyIdentifier)),
      euiccCiPKIdListForSigning: tag(10, sequenceOf(SubjectKeyIdentifier)),
      euiccCategory: optional(
        tag(11, integer({ other: 0, basicEuicc: 1, mediumEuicc: 2, contactlessEuicc: 3 })),
      ),
      forbiddenProfilePolicyRules: optional(tag(25, PprIds)),
      ppVersion: VersionType,
      sasAcreditationNumber: utf8String(0, 64),
      certificationDataObject: optional(tag(12, CertificationDataObject)),
      treProperties: optional(tag(13, bitString({ isDiscrete: 0, isIntegrated: 1, usesRemoteMemory: 2 }))),
      treProductReference: optional(tag(14, UTF8String)),
      additionalEuiccProfilePackageVersions: optional(tag(15, sequenceOf(VersionType))),
      ipaMode: optional(tag(16, IpaMode)),
      euiccCiPKIdListForSigningV3: optional(tag(17, sequenceOf(SubjectKeyIdentifier))),
      additionalEuiccInfo: optional(tag(18, octetString(0, 32))),
      highestSvn: optional(tag(19, VersionType)),
      iotSpecificInfo: optional(tag(20, IoTSpecificInfo)),
    }),
  ),
);
export type EUICCInfo2 = ValueOf<typeof EUICCInfo2>;

/** SGP.32 ProfileInfo (`SGP32-ProfileInfo`): SGP.22's plus ecall and fallback attributes. */
export const ProfileInfo = sgp32(
  'ProfileInfo',
  tag(
    priv(3),
    sequence({
      iccid: optional(Iccid),
      isdpAid: optional(tag(app(15), OctetTo16)),
      profileState: optional(tag(112, ProfileState)),
      profileNickname: optional(tag(16, utf8String(0, 64))),
      serviceProviderName: optional(tag(17, utf8String(0, 32))),
      profileName: optional(tag(18, utf8String(0, 64))),
      iconType: optional(tag(19, IconType)),
      icon: optional(tag(20, octetString(0, 1024))),
      profileClass: optional(tag(21, ProfileClass)),
      notificationConfigurationInfo: optional(tag(22, sequenceOf(NotificationConfigurationInformation))),
      profileOwner: optional(tag(23, OperatorId)),
      dpProprietaryData: optional(tag(24, DpProprietaryData)),
      profilePolicyRules: optional(tag(25, PprIds)),
      serviceSpecificDataStoredInEuicc: optional(tag(34, VendorSpecificExtension)),
      ecallIndication: optional(tag(123, BOOLEAN)),
      fallbackAttribute: withDefault(tag(38, BOOLEAN), false),
      fallbackAllowed: optional(tag(103, BOOLEAN)),
    }),
  ),
);
export type ProfileInfo = ValueOf<typeof ProfileInfo>;

export const ProfileInfoListError = sgp32(
  'ProfileInfoListError',
  integer({ incorrectInputValues: 1, profileChangeOngoing: 11, undefinedError: 127 }),
);
export type ProfileInfoListError = ValueOf<typeof ProfileInfoListError>;

export const ProfileInfoListResponse = sgp32(
  'ProfileInfoListResponse',
  tag(45, choice({ profileInfoListOk: sequenceOf(ProfileInfo), profileInfoListError: ProfileInfoListError })),
);
export type ProfileInfoListResponse = ValueOf<typeof ProfileInfoListResponse>;

export const SetDefaultDpAddressRequest = sgp32(
  'SetDefaultDpAddressRequest',
  tag(101, sequence({ defaultDpAddress: UTF8String })),
);
export type SetDefaultDpAddressRequest = ValueOf<typeof SetDefaultDpAddressRequest>;

export const SetDefaultDpAddressResponse = sgp32(
  'SetDefaultDpAddressResponse',
  tag(101, sequence({ setDefaultDpAddressResult: integer({ ok: 0, undefinedError: 127 }) })),
);
export type SetDefaultDpAddressResponse = ValueOf<typeof SetDefaultDpAddressResponse>;

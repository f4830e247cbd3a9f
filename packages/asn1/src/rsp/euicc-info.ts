/** SGP.22 ES10b/ES10c eUICC information: EUICCInfo1/2, device info, EID, addresses, RAT. */
import { UICCCapability } from '../pe/index.js';
import { SubjectKeyIdentifier } from '../pkix/index.js';
import {
  app,
  BIT_STRING,
  bitString,
  INTEGER,
  integer,
  OCTET_STRING,
  optional,
  priv,
  sequence,
  sequenceOf,
  tag,
  UTF8String,
  utf8String,
  type ValueOf,
} from '../schema/index.js';
import { Octet1, Octet16, Octet4, Octet8, OperatorId, PprIds, VersionType } from './common.js';
import { rsp } from './module.js';

export const GetEuiccInfo1Request = rsp('GetEuiccInfo1Request', tag(32, sequence({})));
export type GetEuiccInfo1Request = ValueOf<typeof GetEuiccInfo1Request>;

export const EUICCInfo1 = rsp(
  'EUICCInfo1',
  tag(
    32,
    sequence({
      svn: tag(2, VersionType),
      euiccCiPKIdListForVerification: tag(9, sequenceOf(SubjectKeyIdentifier)),
      euiccCiPKIdListForSigning: tag(10, sequenceOf(SubjectKeyIdentifier)),
    }),
  ),
);
export type EUICCInfo1 = ValueOf<typeof EUICCInfo1>;

export const GetEuiccInfo2Request = rsp('GetEuiccInfo2Request', tag(34, sequence({})));
export type GetEuiccInfo2Request = ValueOf<typeof GetEuiccInfo2Request>;

export const RspCapability = rsp(
  'RspCapability',
  bitString({
    additionalProfile: 0,
    crlSupport: 1,
    rpmSupport: 2,
    testProfileSupport: 3,
    deviceInfoExtensibilitySupport: 4,
    serviceSpecificDataSupport: 5,
  }),
);
export type RspCapability = ValueOf<typeof RspCapability>;

export const CertificationDataObject = rsp(
  'CertificationDataObject',
  sequence({ platformLabel: UTF8String, discoveryBaseURL: UTF8String }),
);
export type CertificationDataObject = ValueOf<typeof CertificationDataObject>;

export const CertificateInfo = rsp(
  'CertificateInfo',
  bitString({ reserved: 0, certSigningX509: 1, rfu2: 2, rfu3: 3, reserved2: 4, certVerificationX509: 5 }),
);
export type CertificateInfo = ValueOf<typeof CertificateInfo>;

export const EUICCInfo2 = rsp(
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
    }),
  ),
);
export type EUICCInfo2 = ValueOf<typeof EUICCInfo2>;

export const CatSupportedClasses = rsp('CatSupportedClasses', BIT_STRING);
export type CatSupportedClasses = ValueOf<typeof CatSupportedClasses>;
export const EuiccFormFactorType = rsp('EuiccFormFactorType', INTEGER);
export type EuiccFormFactorType = ValueOf<typeof EuiccFormFactorType>;

export const DeviceAdditionalFeatureSupport = rsp(
  'DeviceAdditionalFeatureSupport',
  sequence({ naiSupport: optional(VersionType) }),
);
export type DeviceAdditionalFeatureSupport = ValueOf<typeof DeviceAdditionalFeatureSupport>;

export const DeviceCapabilities = rsp(
  'DeviceCapabilities',
  sequence({
    gsmSupportedRelease: optional(VersionType),
    utranSupportedRelease: optional(VersionType),
    cdma2000onexSupportedRelease: optional(VersionType),
    cdma2000hrpdSupportedRelease: optional(VersionType),
    cdma2000ehrpdSupportedRelease: optional(VersionType),
    eutranEpcSupportedRelease: optional(VersionType),
    contactlessSupportedRelease: optional(VersionType),
    rspCrlSupportedVersion: optional(VersionType),
    nrEpcSupportedRelease: optional(VersionType),
    nr5gcSupportedRelease: optional(VersionType),
    eutran5gcSupportedRelease: optional(VersionType),
    lpaSvn: optional(VersionType),
    catSupportedClasses: optional(CatSupportedClasses),
    euiccFormFactorType: optional(EuiccFormFactorType),
    deviceAdditionalFeatureSupport: optional(DeviceAdditionalFeatureSupport),
  }),
);
export type DeviceCapabilities = ValueOf<typeof DeviceCapabilities>;

export const DeviceInfo = rsp(
  'DeviceInfo',
  sequence({ tac: Octet4, deviceCapabilities: DeviceCapabilities, imei: optional(Octet8) }),
);
export type DeviceInfo = ValueOf<typeof DeviceInfo>;

export const GetEuiccDataRequest = rsp(
  'GetEuiccDataRequest',
  tag(62, sequence({ tagList: tag(app(28), Octet1) })),
);
export type GetEuiccDataRequest = ValueOf<typeof GetEuiccDataRequest>;

export const GetEuiccDataResponse = rsp(
  'GetEuiccDataResponse',
  tag(62, sequence({ eidValue: tag(app(26), Octet16) })),
);
export type GetEuiccDataResponse = ValueOf<typeof GetEuiccDataResponse>;

export const GetEuiccChallengeRequest = rsp('GetEuiccChallengeRequest', tag(46, sequence({})));
export type GetEuiccChallengeRequest = ValueOf<typeof GetEuiccChallengeRequest>;

export const GetEuiccChallengeResponse = rsp(
  'GetEuiccChallengeResponse',
  tag(46, sequence({ euiccChallenge: Octet16 })),
);
export type GetEuiccChallengeResponse = ValueOf<typeof GetEuiccChallengeResponse>;

export const EuiccConfiguredAddressesRequest = rsp('EuiccConfiguredAddressesRequest', tag(60, sequence({})));
export type EuiccConfiguredAddressesRequest = ValueOf<typeof EuiccConfiguredAddressesRequest>;

export const EuiccConfiguredAddressesResponse = rsp(
  'EuiccConfiguredAddressesResponse',
  tag(60, sequence({ defaultDpAddress: optional(UTF8String), rootDsAddress: UTF8String })),
);
export type EuiccConfiguredAddressesResponse = ValueOf<typeof EuiccConfiguredAddressesResponse>;

export const SetDefaultDpAddressRequest = rsp(
  'SetDefaultDpAddressRequest',
  tag(63, sequence({ defaultDpAddress: UTF8String })),
);
export type SetDefaultDpAddressRequest = ValueOf<typeof SetDefaultDpAddressRequest>;

export const SetDefaultDpAddressResponse = rsp(
  'SetDefaultDpAddressResponse',
  tag(63, sequence({ setDefaultDpAddressResult: integer({ ok: 0, undefinedError: 127 }) })),
);
export type SetDefaultDpAddressResponse = ValueOf<typeof SetDefaultDpAddressResponse>;

export const ISDRProprietaryApplicationTemplate = rsp(
  'ISDRProprietaryApplicationTemplate',
  tag(
    priv(0),
    sequence({
      svn: tag(2, VersionType),
      lpaeSupport: optional(bitString({ lpaeUsingCat: 0, lpaeUsingScws: 1 })),
    }),
  ),
);
export type ISDRProprietaryApplicationTemplate = ValueOf<typeof ISDRProprietaryApplicationTemplate>;

export const LpaeActivationRequest = rsp(
  'LpaeActivationRequest',
  tag(66, sequence({ lpaeOption: bitString({ activateCatBasedLpae: 0, activateScwsBasedLpae: 1 }) })),
);
export type LpaeActivationRequest = ValueOf<typeof LpaeActivationRequest>;

export const LpaeActivationResponse = rsp(
  'LpaeActivationResponse',
  tag(66, sequence({ lpaeActivationResult: integer({ ok: 0, notSupported: 1 }) })),
);
export type LpaeActivationResponse = ValueOf<typeof LpaeActivationResponse>;

export const ProfilePolicyAuthorisationRule = rsp(
  'ProfilePolicyAuthorisationRule',
  sequence({
    pprIds: PprIds,
    allowedOperators: sequenceOf(OperatorId),
    pprFlags: bitString({ consentRequired: 0 }),
  }),
);
export type ProfilePolicyAuthorisationRule = ValueOf<typeof ProfilePolicyAuthorisationRule>;

export const RulesAuthorisationTable = rsp(
  'RulesAuthorisationTable',
  sequenceOf(ProfilePolicyAuthorisationRule),
);
export type RulesAuthorisationTable = ValueOf<typeof RulesAuthorisationTable>;

export const GetRatRequest = rsp('GetRatRequest', tag(67, sequence({})));
export type GetRatRequest = ValueOf<typeof GetRatRequest>;

export const GetRatResponse = rsp('GetRatResponse', tag(67, sequence({ rat: RulesAuthorisationTable })));
export type GetRatResponse = ValueOf<typeof GetRatResponse>;

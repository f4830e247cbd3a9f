/** SGP.32 ES10b functions between IPA and eUICC (IoT additions: certs, rollback, fallback, emergency...). */
import { Certificate, SubjectKeyIdentifier } from '../pkix/index.js';
import {
  bitString,
  BOOLEAN,
  choice,
  integer,
  NULL,
  OBJECT_IDENTIFIER,
  OCTET_STRING,
  optional,
  priv,
  sequence,
  tag,
  UTF8String,
  type ValueOf,
} from '../schema/index.js';
import { EuiccPackageResult } from './euicc-package.js';
import { sgp32 } from './module.js';

export const ISDRProprietaryApplicationTemplateIoT = sgp32(
  'ISDRProprietaryApplicationTemplateIoT',
  tag(priv(1), sequence({ euiccConfiguration: bitString({ ipaeSupported: 0, enabledProfile: 1 }) })),
);
export type ISDRProprietaryApplicationTemplateIoT = ValueOf<typeof ISDRProprietaryApplicationTemplateIoT>;

export const IpaeActivationRequest = sgp32(
  'IpaeActivationRequest',
  tag(66, sequence({ ipaeOption: bitString({ activateIpae: 0 }) })),
);
export type IpaeActivationRequest = ValueOf<typeof IpaeActivationRequest>;

export const IpaeActivationResponse = sgp32(
  'IpaeActivationResponse',
  tag(66, sequence({ ipaeActivationResult: integer({ ok: 0, notSupported: 1 }) })),
);
export type IpaeActivationResponse = ValueOf<typeof IpaeActivationResponse>;

export const EuiccMemoryResetRequest = sgp32(
  'EuiccMemoryResetRequest',
  tag(
    100,
    sequence({
      resetOptions: tag(
        2,
        bitString({
          deleteOperationalProfiles: 0,
          deleteFieldLoadedTestProfiles: 1,
          resetDefaultSmdpAddress: 2,
          deletePreLoadedTestProfiles: 3,
          deleteProvisioningProfiles: 4,
          resetEimConfigData: 5,
          resetImmediateEnableConfig: 6,
        }),
      ),
    }),
  ),
);
export type EuiccMemoryResetRequest = ValueOf<typeof EuiccMemoryResetRequest>;

export const EuiccMemoryResetResponse = sgp32(
  'EuiccMemoryResetResponse',
  tag(
    100,
    sequence({
      resetResult: integer({ ok: 0, nothingToDelete: 1, catBusy: 5, ecallActive: 104, undefinedError: 127 }),
      resetEimResult: optional(
        integer({ ok: 0, nothingToDelete: 1, eimResetNotSupported: 2, undefinedError: 127 }),
      ),
      resetImmediateEnableConfigResult: optional(
        integer({ ok: 0, resetIECNotSupported: 1, undefinedError: 127 }),
      ),
    }),
  ),
);
export type EuiccMemoryResetResponse = ValueOf<typeof EuiccMemoryResetResponse>;

export const GetCertsRequest = sgp32(
  'GetCertsRequest',
  tag(86, sequence({ euiccCiPKId: optional(SubjectKeyIdentifier) })),
);
export type GetCertsRequest = ValueOf<typeof GetCertsRequest>;

export const GetCertsResponse = sgp32(
  'GetCertsResponse',
  tag(
    86,
    choice({
      certs: sequence({ eumCertificate: tag(5, Certificate), euiccCertificate: tag(6, Certificate) }),
      getCertsError: integer({ invalidCiPKId: 1, undfinedError: 127 }),
    }),
  ),
);
export type GetCertsResponse = ValueOf<typeof GetCertsResponse>;

export const ImmediateEnableRequest = sgp32(
  'ImmediateEnableRequest',
  tag(90, sequence({ refreshFlag: BOOLEAN })),
);
export type ImmediateEnableRequest = ValueOf<typeof ImmediateEnableRequest>;

export const ImmediateEnableResponse = sgp32(
  'ImmediateEnableResponse',
  tag(
    90,
    sequence({
      immediateEnableResult: tag(
        0,
        integer({
          ok: 0,
          immediateEnableNotAvailable: 1,
          noSessionContext: 4,
          catBusy: 5,
          undefinedError: 127,
        }),
      ),
    }),
  ),
);
export type ImmediateEnableResponse = ValueOf<typeof ImmediateEnableResponse>;

export const ProfileRollbackRequest = sgp32(
  'ProfileRollbackRequest',
  tag(88, sequence({ refreshFlag: BOOLEAN })),
);
export type ProfileRollbackRequest = ValueOf<typeof ProfileRollbackRequest>;

export const ProfileRollbackResponse = sgp32(
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

export const ConfigureImmediateProfileEnablingRequest = sgp32(
  'ConfigureImmediateProfileEnablingRequest',
  tag(
    89,
    sequence({
      immediateEnableFlag: optional(tag(0, NULL)),
      defaultSmdpOid: optional(tag(1, OBJECT_IDENTIFIER)),
      defaultSmdpAddress: optional(tag(2, UTF8String)),
    }),
  ),
);
export type ConfigureImmediateProfileEnablingRequest = ValueOf<
  typeof ConfigureImmediateProfileEnablingRequest
>;

export const ConfigureImmediateProfileEnablingResponse = sgp32(
  'ConfigureImmediateProfileEnablingResponse',
  tag(
    89,
    sequence({
      configImmediateEnableResult: tag(
        0,
        integer({ ok: 0, insufficientMemory: 1, associatedEimAlreadyExists: 2, undefinedError: 127 }),
      ),
    }),
  ),
);
export type ConfigureImmediateProfileEnablingResponse = ValueOf<
  typeof ConfigureImmediateProfileEnablingResponse
>;

export const ExecuteFallbackMechanismRequest = sgp32(
  'ExecuteFallbackMechanismRequest',
  tag(93, sequence({ refreshFlag: BOOLEAN })),
);
export type ExecuteFallbackMechanismRequest = ValueOf<typeof ExecuteFallbackMechanismRequest>;

export const ExecuteFallbackMechanismResponse = sgp32(
  'ExecuteFallbackMechanismResponse',
  tag(
    93,
    sequence({
      executeFallbackMechanismResult: tag(
        0,
        integer({
          ok: 0,
          profileNotInDisabledState: 2,
          catBusy: 5,
          fallbackNotAvailable: 6,
          commandError: 7,
          ecallActive: 104,
          undefinedError: 127,
        }),
      ),
    }),
  ),
);
export type ExecuteFallbackMechanismResponse = ValueOf<typeof ExecuteFallbackMechanismResponse>;

export const ReturnFromFallbackRequest = sgp32(
  'ReturnFromFallbackRequest',
  tag(94, sequence({ refreshFlag: BOOLEAN })),
);
export type ReturnFromFallbackRequest = ValueOf<typeof ReturnFromFallbackRequest>;

export const ReturnFromFallbackResponse = sgp32(
  'ReturnFromFallbackResponse',
  tag(
    94,
    sequence({
      returnFromFallbackResult: tag(
        0,
        integer({ ok: 0, catBusy: 5, fallbackNotAvailable: 6, commandError: 7, undefinedError: 127 }),
      ),
    }),
  ),
);
export type ReturnFromFallbackResponse = ValueOf<typeof ReturnFromFallbackResponse>;

export const EnableEmergencyProfileRequest = sgp32(
  'EnableEmergencyProfileRequest',
  tag(91, sequence({ refreshFlag: BOOLEAN })),
);
export type EnableEmergencyProfileRequest = ValueOf<typeof EnableEmergencyProfileRequest>;

export const EnableEmergencyProfileResponse = sgp32(
  'EnableEmergencyProfileResponse',
  tag(
    91,
    sequence({
      enableEmergencyProfileResult: tag(
        0,
        integer({
          ok: 0,
          profileNotInDisabledState: 2,
          catBusy: 5,
          ecallNotAvailable: 8,
          undefinedError: 127,
        }),
      ),
    }),
  ),
);
export type EnableEmergencyProfileResponse = ValueOf<typeof EnableEmergencyProfileResponse>;

export const DisableEmergencyProfileRequest = sgp32(
  'DisableEmergencyProfileRequest',
  tag(92, sequence({ refreshFlag: BOOLEAN })),
);
export type DisableEmergencyProfileRequest = ValueOf<typeof DisableEmergencyProfileRequest>;

export const DisableEmergencyProfileResponse = sgp32(
  'DisableEmergencyProfileResponse',
  tag(
    92,
    sequence({
      disableEmergencyProfileResult: tag(
        0,
        integer({ ok: 0, profileNotInEnabledState: 2, catBusy: 5, undefinedError: 127 }),
      ),
    }),
  ),
);
export type DisableEmergencyProfileResponse = ValueOf<typeof DisableEmergencyProfileResponse>;

export const ConnectivityParameters = sgp32(
  'ConnectivityParameters',
  sequence({ httpParams: optional(tag(1, OCTET_STRING)) }),
);
export type ConnectivityParameters = ValueOf<typeof ConnectivityParameters>;

export const ConnectivityParametersError = sgp32(
  'ConnectivityParametersError',
  integer({ parametersNotAvailable: 1, undefinedError: 127 }),
);
export type ConnectivityParametersError = ValueOf<typeof ConnectivityParametersError>;

export const GetConnectivityParametersRequest = sgp32(
  'GetConnectivityParametersRequest',
  tag(95, sequence({})),
);
export type GetConnectivityParametersRequest = ValueOf<typeof GetConnectivityParametersRequest>;

export const GetConnectivityParametersResponse = sgp32(
  'GetConnectivityParametersResponse',
  tag(
    95,
    choice({
      connectivityParameters: ConnectivityParameters,
      connectivityParametersError: ConnectivityParametersError,
    }),
  ),
);
export type GetConnectivityParametersResponse = ValueOf<typeof GetConnectivityParametersResponse>;

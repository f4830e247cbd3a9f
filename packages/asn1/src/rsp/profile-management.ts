/** SGP.22 ES10c local profile management: profile list, metadata, enable/disable/delete, reset. */
import {
  app,
  bitString,
  BOOLEAN,
  choice,
  integer,
  octetString,
  optional,
  priv,
  sequence,
  sequenceOf,
  tag,
  utf8String,
  withDefault,
  type ValueOf,
} from '../schema/index.js';
import {
  DpProprietaryData,
  IconType,
  Iccid,
  NotificationConfigurationInformation,
  OctetTo16,
  OperatorId,
  PprIds,
  ProfileClass,
  ProfileState,
  VendorSpecificExtension,
} from './common.js';
import { rsp } from './module.js';

export const ProfileInfoListRequest = rsp(
  'ProfileInfoListRequest',
  tag(
    45,
    sequence({
      searchCriteria: optional(
        tag(
          0,
          choice({ isdpAid: tag(app(15), OctetTo16), iccid: Iccid, profileClass: tag(21, ProfileClass) }),
        ),
      ),
      tagList: optional(tag(app(28), octetString())),
    }),
  ),
);
export type ProfileInfoListRequest = ValueOf<typeof ProfileInfoListRequest>;

export const ProfileInfo = rsp(
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
    }),
  ),
);
export type ProfileInfo = ValueOf<typeof ProfileInfo>;

export const ProfileInfoListError = rsp(
  'ProfileInfoListError',
  integer({ incorrectInputValues: 1, undefinedError: 127 }),
);
export type ProfileInfoListError = ValueOf<typeof ProfileInfoListError>;

export const ProfileInfoListResponse = rsp(
  'ProfileInfoListResponse',
  tag(45, choice({ profileInfoListOk: sequenceOf(ProfileInfo), profileInfoListError: ProfileInfoListError })),
);
export type ProfileInfoListResponse = ValueOf<typeof ProfileInfoListResponse>;

export const StoreMetadataRequest = rsp(
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
    }),
  ),
);
export type StoreMetadataRequest = ValueOf<typeof StoreMetadataRequest>;

export const UpdateMetadataRequest = rsp(
  'UpdateMetadataRequest',
  tag(
    42,
    sequence({
      serviceProviderName: optional(tag(17, utf8String(0, 32))),
      profileName: optional(tag(18, utf8String(0, 64))),
      iconType: optional(tag(19, IconType)),
      icon: optional(tag(20, octetString(0, 1024))),
      profilePolicyRules: optional(tag(25, PprIds)),
      serviceSpecificDataStoredInEuicc: optional(tag(34, VendorSpecificExtension)),
    }),
  ),
);
export type UpdateMetadataRequest = ValueOf<typeof UpdateMetadataRequest>;

export const SetNicknameRequest = rsp(
  'SetNicknameRequest',
  tag(41, sequence({ iccid: Iccid, profileNickname: tag(16, utf8String(0, 64)) })),
);
export type SetNicknameRequest = ValueOf<typeof SetNicknameRequest>;

export const SetNicknameResponse = rsp(
  'SetNicknameResponse',
  tag(41, sequence({ setNicknameResult: integer({ ok: 0, iccidNotFound: 1, undefinedError: 127 }) })),
);
export type SetNicknameResponse = ValueOf<typeof SetNicknameResponse>;

const profileIdentifier = () => choice({ isdpAid: tag(app(15), OctetTo16), iccid: Iccid });

export const EnableProfileRequest = rsp(
  'EnableProfileRequest',
  tag(49, sequence({ profileIdentifier: profileIdentifier(), refreshFlag: BOOLEAN })),
);
export type EnableProfileRequest = ValueOf<typeof EnableProfileRequest>;

export const EnableProfileResponse = rsp(
  'EnableProfileResponse',
  tag(
    49,
    sequence({
      enableResult: integer({
        ok: 0,
        iccidOrAidNotFound: 1,
        profileNotInDisabledState: 2,
        disallowedByPolicy: 3,
        wrongProfileReenabling: 4,
        catBusy: 5,
        undefinedError: 127,
      }),
    }),
  ),
);
export type EnableProfileResponse = ValueOf<typeof EnableProfileResponse>;

export const DisableProfileRequest = rsp(
  'DisableProfileRequest',
  tag(50, sequence({ profileIdentifier: profileIdentifier(), refreshFlag: BOOLEAN })),
);
export type DisableProfileRequest = ValueOf<typeof DisableProfileRequest>;

export const DisableProfileResponse = rsp(
  'DisableProfileResponse',
  tag(
    50,
    sequence({
      disableResult: integer({
        ok: 0,
        iccidOrAidNotFound: 1,
        profileNotInEnabledState: 2,
        disallowedByPolicy: 3,
        catBusy: 5,
        undefinedError: 127,
      }),
    }),
  ),
);
export type DisableProfileResponse = ValueOf<typeof DisableProfileResponse>;

export const DeleteProfileRequest = rsp('DeleteProfileRequest', tag(51, profileIdentifier()));
export type DeleteProfileRequest = ValueOf<typeof DeleteProfileRequest>;

export const DeleteProfileResponse = rsp(
  'DeleteProfileResponse',
  tag(
    51,
    sequence({
      deleteResult: integer({
        ok: 0,
        iccidOrAidNotFound: 1,
        profileNotInDisabledState: 2,
        disallowedByPolicy: 3,
        undefinedError: 127,
      }),
    }),
  ),
);
export type DeleteProfileResponse = ValueOf<typeof DeleteProfileResponse>;

export const EuiccMemoryResetRequest = rsp(
  'EuiccMemoryResetRequest',
  tag(
    52,
    sequence({
      resetOptions: tag(
        2,
        bitString({
          deleteOperationalProfiles: 0,
          deleteFieldLoadedTestProfiles: 1,
          resetDefaultSmdpAddress: 2,
        }),
      ),
    }),
  ),
);
export type EuiccMemoryResetRequest = ValueOf<typeof EuiccMemoryResetRequest>;

export const EuiccMemoryResetResponse = rsp(
  'EuiccMemoryResetResponse',
  tag(52, sequence({ resetResult: integer({ ok: 0, nothingToDelete: 1, catBusy: 5, undefinedError: 127 }) })),
);
export type EuiccMemoryResetResponse = ValueOf<typeof EuiccMemoryResetResponse>;

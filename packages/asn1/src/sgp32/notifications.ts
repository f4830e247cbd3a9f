/** SGP.32 notifications: the IoT PendingNotification with its compact forms, and the list function. */
import {
  ErrorResult,
  EuiccSignPIR,
  NotificationEvent,
  NotificationMetadata,
  Octet16,
  OtherSignedNotification,
  ProfileInstallationResultData,
  TransactionId,
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
  withDefault,
  type ValueOf,
} from '../schema/index.js';
import { EuiccPackageResultList } from './euicc-package.js';
import { sgp32 } from './module.js';

export const ProfileInstallationResult = sgp32(
  'ProfileInstallationResult',
  tag(
    55,
    sequence({
      profileInstallationResultData: tag(39, ProfileInstallationResultData),
      euiccSignPIR: EuiccSignPIR,
    }),
  ),
);
export type ProfileInstallationResult = ValueOf<typeof ProfileInstallationResult>;

export const CompactSuccessResult = sgp32(
  'CompactSuccessResult',
  sequence({ compactAid: tag(app(15), octetString(2)), simaResponse: optional(OCTET_STRING) }),
);
export type CompactSuccessResult = ValueOf<typeof CompactSuccessResult>;

export const CompactProfileInstallationResultData = sgp32(
  'CompactProfileInstallationResultData',
  sequence({
    transactionId: tag(0, TransactionId),
    seqNumber: integer(),
    iccidPresent: withDefault(BOOLEAN, true),
    compactFinalResult: tag(
      2,
      choice({ compactSuccessResult: CompactSuccessResult, errorResult: ErrorResult }),
    ),
  }),
);
export type CompactProfileInstallationResultData = ValueOf<typeof CompactProfileInstallationResultData>;

export const CompactProfileInstallationResult = sgp32(
  'CompactProfileInstallationResult',
  sequence({
    compactProfileInstallationResultData: tag(0, CompactProfileInstallationResultData),
    euiccSignPIR: EuiccSignPIR,
  }),
);
export type CompactProfileInstallationResult = ValueOf<typeof CompactProfileInstallationResult>;

export const CompactOtherSignedNotification = sgp32(
  'CompactOtherSignedNotification',
  sequence({
    eidValue: optional(tag(app(26), Octet16)),
    tbsOtherNotification: NotificationMetadata,
    euiccNotificationSignature: tag(app(55), OCTET_STRING),
  }),
);
export type CompactOtherSignedNotification = ValueOf<typeof CompactOtherSignedNotification>;

export const PendingNotification = sgp32(
  'PendingNotification',
  choice({
    profileInstallationResult: tag(55, ProfileInstallationResult),
    otherSignedNotification: OtherSignedNotification,
    compactProfileInstallationResult: tag(0, CompactProfileInstallationResult),
    compactOtherSignedNotification: tag(1, CompactOtherSignedNotification),
  }),
);
export type PendingNotification = ValueOf<typeof PendingNotification>;

export const PendingNotificationList = sgp32('PendingNotificationList', sequenceOf(PendingNotification));
export type PendingNotificationList = ValueOf<typeof PendingNotificationList>;

export const RetrieveNotificationsListRequest = sgp32(
  'RetrieveNotificationsListRequest',
  tag(
    43,
    sequence({
      searchCriteria: optional(
        choice({
          seqNumber: tag(0, integer()),
          profileManagementOperation: tag(1, NotificationEvent),
          euiccPackageResults: tag(2, NULL),
        }),
      ),
    }),
  ),
);
export type RetrieveNotificationsListRequest = ValueOf<typeof RetrieveNotificationsListRequest>;

export const RetrieveNotificationsListResponse = sgp32(
  'RetrieveNotificationsListResponse',
  tag(
    43,
    choice({
      notificationList: PendingNotificationList,
      notificationsListResultError: integer({ undefinedError: 127 }),
      euiccPackageResultList: EuiccPackageResultList,
    }),
  ),
);
export type RetrieveNotificationsListResponse = ValueOf<typeof RetrieveNotificationsListResponse>;

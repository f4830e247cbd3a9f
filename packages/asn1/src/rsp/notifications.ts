/** SGP.22 notifications: ProfileInstallationResult, other signed notifications, their lists. */
import { Certificate } from '../pkix/index.js';
import {
  app,
  choice,
  integer,
  OBJECT_IDENTIFIER,
  OCTET_STRING,
  octetString,
  optional,
  sequence,
  sequenceOf,
  tag,
  type ValueOf,
} from '../schema/index.js';
import { NotificationEvent, NotificationMetadata, TransactionId } from './common.js';
import { rsp } from './module.js';

export const BppCommandId = rsp(
  'BppCommandId',
  integer({
    initialiseSecureChannel: 0,
    configureISDP: 1,
    storeMetadata: 2,
    storeMetadata2: 3,
    replaceSessionKeys: 4,
    loadProfileElements: 5,
  }),
);
export type BppCommandId = ValueOf<typeof BppCommandId>;

export const ErrorReason = rsp(
  'ErrorReason',
  integer({
    incorrectInputValues: 1,
    invalidSignature: 2,
    invalidTransactionId: 3,
    unsupportedCrtValues: 4,
    unsupportedRemoteOperationType: 5,
    unsupportedProfileClass: 6,
    scp03tStructureError: 7,
    scp03tSecurityError: 8,
    installFailedDueToIccidAlreadyExistsOnEuicc: 9,
    installFailedDueToInsufficientMemoryForProfile: 10,
    installFailedDueToInterruption: 11,
    installFailedDueToPEProcessingError: 12,
    installFailedDueToDataMismatch: 13,
    testProfileInstallFailedDueToInvalidNaaKey: 14,
    pprNotAllowed: 15,
    installFailedDueToUnknownError: 127,
  }),
);
export type ErrorReason = ValueOf<typeof ErrorReason>;

export const SuccessResult = rsp(
  'SuccessResult',
  sequence({ aid: tag(app(15), octetString(5, 16)), simaResponse: OCTET_STRING }),
);
export type SuccessResult = ValueOf<typeof SuccessResult>;

export const ErrorResult = rsp(
  'ErrorResult',
  sequence({ bppCommandId: BppCommandId, errorReason: ErrorReason, simaResponse: optional(OCTET_STRING) }),
);
export type ErrorResult = ValueOf<typeof ErrorResult>;

export const EuiccSignPIR = rsp('EuiccSignPIR', tag(app(55), OCTET_STRING));
export type EuiccSignPIR = ValueOf<typeof EuiccSignPIR>;

export const ProfileInstallationResultData = rsp(
  'ProfileInstallationResultData',
  tag(
    39,
    sequence({
      transactionId: tag(0, TransactionId),
      notificationMetadata: tag(47, NotificationMetadata),
      smdpOid: OBJECT_IDENTIFIER,
      finalResult: tag(2, choice({ successResult: SuccessResult, errorResult: ErrorResult })),
    }),
  ),
);
export type ProfileInstallationResultData = ValueOf<typeof ProfileInstallationResultData>;

export const ProfileInstallationResult = rsp(
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

export const ListNotificationRequest = rsp(
  'ListNotificationRequest',
  tag(40, sequence({ profileManagementOperation: optional(tag(1, NotificationEvent)) })),
);
export type ListNotificationRequest = ValueOf<typeof ListNotificationRequest>;

export const ListNotificationResponse = rsp(
  'ListNotificationResponse',
  tag(
    40,
    choice({
      notificationMetadataList: sequenceOf(NotificationMetadata),
      listNotificationsResultError: integer({ undefinedError: 127 }),
    }),
  ),
);
export type ListNotificationResponse = ValueOf<typeof ListNotificationResponse>;

export const OtherSignedNotification = rsp(
  'OtherSignedNotification',
  sequence({
    tbsOtherNotification: NotificationMetadata,
    euiccNotificationSignature: tag(app(55), OCTET_STRING),
    euiccCertificate: Certificate,
    eumCertificate: Certificate,
  }),
);
export type OtherSignedNotification = ValueOf<typeof OtherSignedNotification>;

export const PendingNotification = rsp(
  'PendingNotification',
  choice({
    profileInstallationResult: tag(55, ProfileInstallationResult),
    otherSignedNotification: OtherSignedNotification,
  }),
);
export type PendingNotification = ValueOf<typeof PendingNotification>;

export const RetrieveNotificationsListRequest = rsp(
  'RetrieveNotificationsListRequest',
  tag(
    43,
    sequence({
      searchCriteria: optional(
        choice({ seqNumber: tag(0, integer()), profileManagementOperation: tag(1, NotificationEvent) }),
      ),
    }),
  ),
);
export type RetrieveNotificationsListRequest = ValueOf<typeof RetrieveNotificationsListRequest>;

export const RetrieveNotificationsListResponse = rsp(
  'RetrieveNotificationsListResponse',
  tag(
    43,
    choice({
      notificationList: sequenceOf(PendingNotification),
      notificationsListResultError: integer({ undefinedError: 127 }),
    }),
  ),
);
export type RetrieveNotificationsListResponse = ValueOf<typeof RetrieveNotificationsListResponse>;

export const NotificationSentRequest = rsp(
  'NotificationSentRequest',
  tag(48, sequence({ seqNumber: tag(0, integer()) })),
);
export type NotificationSentRequest = ValueOf<typeof NotificationSentRequest>;

export const NotificationSentResponse = rsp(
  'NotificationSentResponse',
  tag(
    48,
    sequence({ deleteNotificationStatus: integer({ ok: 0, nothingToDelete: 1, undefinedError: 127 }) }),
  ),
);
export type NotificationSentResponse = ValueOf<typeof NotificationSentResponse>;

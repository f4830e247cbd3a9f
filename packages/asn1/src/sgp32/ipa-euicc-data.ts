/** SGP.32 eUICC data requested by the eIM (IpaEuiccDataRequest/Response) and eIM acknowledgements. */
import { Certificate } from '../pkix/index.js';
import { DeviceInfo, EUICCInfo1, NotificationEvent, TransactionId } from '../rsp/index.js';
import {
  app,
  bitString,
  choice,
  integer,
  OCTET_STRING,
  optional,
  sequence,
  sequenceOf,
  tag,
  UTF8String,
  type ValueOf,
} from '../schema/index.js';
import { EUICCInfo2 } from './common.js';
import { EuiccPackageResultList } from './euicc-package.js';
import { sgp32 } from './module.js';
import { PendingNotificationList } from './notifications.js';

export const IpaEuiccDataRequest = sgp32(
  'IpaEuiccDataRequest',
  tag(
    82,
    sequence({
      tagList: tag(app(28), OCTET_STRING),
      euiccCiPKIdentifierToBeUsed: optional(OCTET_STRING),
      searchCriteriaNotification: optional(
        tag(
          1,
          choice({ seqNumber: tag(0, integer()), profileManagementOperation: tag(1, NotificationEvent) }),
        ),
      ),
      searchCriteriaEuiccPackageResult: optional(tag(2, choice({ seqNumber: tag(0, integer()) }))),
      eimTransactionId: optional(tag(3, TransactionId)),
    }),
  ),
);
export type IpaEuiccDataRequest = ValueOf<typeof IpaEuiccDataRequest>;

export const IpaCapabilities = sgp32(
  'IpaCapabilities',
  sequence({
    ipaFeatures: tag(
      0,
      bitString({
        directRspServerCommunication: 0,
        indirectRspServerCommunication: 1,
        eimDownloadDataHandling: 2,
        eimCtxParams1Generation: 3,
        eimProfileMetadataVerification: 4,
        minimizeEsipaBytes: 5,
      }),
    ),
    ipaSupportedProtocols: optional(
      tag(
        1,
        bitString({
          ipaRetrieveHttps: 0,
          ipaRetrieveCoaps: 1,
          ipaInjectHttps: 2,
          ipaInjectCoaps: 3,
          ipaProprietary: 4,
        }),
      ),
    ),
  }),
);
export type IpaCapabilities = ValueOf<typeof IpaCapabilities>;

/** The certificates are IMPLICIT-tagged on the wire (`A5`/`A6` replace `30`); values hold `30 ...` DER. */
export const IpaEuiccData = sgp32(
  'IpaEuiccData',
  sequence({
    notificationsList: optional(tag(0, PendingNotificationList)),
    defaultSmdpAddress: optional(tag(1, UTF8String)),
    euiccPackageResultList: optional(tag(2, EuiccPackageResultList)),
    euiccInfo1: optional(tag(32, EUICCInfo1)),
    euiccInfo2: optional(tag(34, EUICCInfo2)),
    rootSmdsAddress: optional(tag(3, UTF8String)),
    associationToken: optional(tag(4, integer())),
    eumCertificate: optional(tag(5, Certificate)),
    euiccCertificate: optional(tag(6, Certificate)),
    eimTransactionId: optional(tag(7, TransactionId)),
    ipaCapabilities: optional(tag(8, IpaCapabilities)),
    deviceInfo: optional(tag(9, DeviceInfo)),
  }),
);
export type IpaEuiccData = ValueOf<typeof IpaEuiccData>;

export const IpaEuiccDataErrorCode = sgp32(
  'IpaEuiccDataErrorCode',
  integer({ incorrectTagList: 1, euiccCiPKIdNotFound: 5, ecallActive: 104, undefinedError: 127 }),
);
export type IpaEuiccDataErrorCode = ValueOf<typeof IpaEuiccDataErrorCode>;

export const IpaEuiccDataResponseError = sgp32(
  'IpaEuiccDataResponseError',
  sequence({
    eimTransactionId: optional(tag(0, TransactionId)),
    ipaEuiccDataErrorCode: IpaEuiccDataErrorCode,
  }),
);
export type IpaEuiccDataResponseError = ValueOf<typeof IpaEuiccDataResponseError>;

export const IpaEuiccDataResponse = sgp32(
  'IpaEuiccDataResponse',
  tag(82, choice({ ipaEuiccData: IpaEuiccData, ipaEuiccDataResponseError: IpaEuiccDataResponseError })),
);
export type IpaEuiccDataResponse = ValueOf<typeof IpaEuiccDataResponse>;

export const SequenceNumber = sgp32('SequenceNumber', tag(0, integer()));
export type SequenceNumber = ValueOf<typeof SequenceNumber>;

export const EimAcknowledgements = sgp32('EimAcknowledgements', tag(83, sequenceOf(SequenceNumber)));
export type EimAcknowledgements = ValueOf<typeof EimAcknowledgements>;

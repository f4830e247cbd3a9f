/** SGP.22 profile download: PrepareDownload (ES10b) and the Bound Profile Package (ES8+). */
import { Certificate } from '../pkix/index.js';
import {
  app,
  BOOLEAN,
  choice,
  integer,
  OCTET_STRING,
  optional,
  sequence,
  sequenceOf,
  tag,
  type ValueOf,
} from '../schema/index.js';
import { DpProprietaryData, Octet1, Octet32, OctetTo16, RemoteOpId, TransactionId } from './common.js';
import { rsp } from './module.js';

export const SmdpSigned2 = rsp(
  'SmdpSigned2',
  sequence({
    transactionId: tag(0, TransactionId),
    ccRequiredFlag: BOOLEAN,
    bppEuiccOtpk: optional(tag(app(73), OCTET_STRING)),
  }),
);
export type SmdpSigned2 = ValueOf<typeof SmdpSigned2>;

export const PrepareDownloadRequest = rsp(
  'PrepareDownloadRequest',
  tag(
    33,
    sequence({
      smdpSigned2: SmdpSigned2,
      smdpSignature2: tag(app(55), OCTET_STRING),
      hashCc: optional(Octet32),
      smdpCertificate: Certificate,
    }),
  ),
);
export type PrepareDownloadRequest = ValueOf<typeof PrepareDownloadRequest>;

export const EUICCSigned2 = rsp(
  'EUICCSigned2',
  sequence({
    transactionId: tag(0, TransactionId),
    euiccOtpk: tag(app(73), OCTET_STRING),
    hashCc: optional(Octet32),
  }),
);
export type EUICCSigned2 = ValueOf<typeof EUICCSigned2>;

export const PrepareDownloadResponseOk = rsp(
  'PrepareDownloadResponseOk',
  sequence({ euiccSigned2: EUICCSigned2, euiccSignature2: tag(app(55), OCTET_STRING) }),
);
export type PrepareDownloadResponseOk = ValueOf<typeof PrepareDownloadResponseOk>;

export const DownloadErrorCode = rsp(
  'DownloadErrorCode',
  integer({
    invalidCertificate: 1,
    invalidSignature: 2,
    unsupportedCurve: 3,
    noSessionContext: 4,
    invalidTransactionId: 5,
    undefinedError: 127,
  }),
);
export type DownloadErrorCode = ValueOf<typeof DownloadErrorCode>;

export const PrepareDownloadResponseError = rsp(
  'PrepareDownloadResponseError',
  sequence({ transactionId: tag(0, TransactionId), downloadErrorCode: DownloadErrorCode }),
);
export type PrepareDownloadResponseError = ValueOf<typeof PrepareDownloadResponseError>;

export const PrepareDownloadResponse = rsp(
  'PrepareDownloadResponse',
  tag(
    33,
    choice({
      downloadResponseOk: PrepareDownloadResponseOk,
      downloadResponseError: PrepareDownloadResponseError,
    }),
  ),
);
export type PrepareDownloadResponse = ValueOf<typeof PrepareDownloadResponse>;

export const ControlRefTemplate = rsp(
  'ControlRefTemplate',
  sequence({ keyType: tag(0, Octet1), keyLen: tag(1, Octet1), hostId: tag(4, OctetTo16) }),
);
export type ControlRefTemplate = ValueOf<typeof ControlRefTemplate>;

export const InitialiseSecureChannelRequest = rsp(
  'InitialiseSecureChannelRequest',
  tag(
    35,
    sequence({
      remoteOpId: RemoteOpId,
      transactionId: tag(0, TransactionId),
      controlRefTemplate: tag(6, ControlRefTemplate, 'IMPLICIT'),
      smdpOtpk: tag(app(73), OCTET_STRING),
      smdpSign: tag(app(55), OCTET_STRING),
    }),
  ),
);
export type InitialiseSecureChannelRequest = ValueOf<typeof InitialiseSecureChannelRequest>;

export const ConfigureISDPRequest = rsp(
  'ConfigureISDPRequest',
  tag(36, sequence({ dpProprietaryData: optional(tag(24, DpProprietaryData)) })),
);
export type ConfigureISDPRequest = ValueOf<typeof ConfigureISDPRequest>;

export const ReplaceSessionKeysRequest = rsp(
  'ReplaceSessionKeysRequest',
  tag(38, sequence({ initialMacChainingValue: OCTET_STRING, ppkEnc: OCTET_STRING, ppkCmac: OCTET_STRING })),
);
export type ReplaceSessionKeysRequest = ValueOf<typeof ReplaceSessionKeysRequest>;

/**
 * Each OCTET STRING element *is* one BSP TLV (`87 L <ciphertext||MAC>`): the element tag is
 * IMPLICIT (X.680 31.2.7 does not apply to OCTET STRING), unlike what asn1c 0.9.28 does.
 */
export const BoundProfilePackage = rsp(
  'BoundProfilePackage',
  tag(
    54,
    sequence({
      initialiseSecureChannelRequest: tag(35, InitialiseSecureChannelRequest),
      firstSequenceOf87: tag(0, sequenceOf(tag(7, OCTET_STRING))),
      sequenceOf88: tag(1, sequenceOf(tag(8, OCTET_STRING))),
      secondSequenceOf87: optional(tag(2, sequenceOf(tag(7, OCTET_STRING)))),
      sequenceOf86: tag(3, sequenceOf(tag(6, OCTET_STRING))),
    }),
  ),
);
export type BoundProfilePackage = ValueOf<typeof BoundProfilePackage>;

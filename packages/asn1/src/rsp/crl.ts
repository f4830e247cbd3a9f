/** SGP.22 certificate revocation: LoadCRL and the CRL extension value types. */
import { CertificateList, Time } from '../pkix/index.js';
import {
  choice,
  INTEGER,
  integer,
  optional,
  sequence,
  sequenceOf,
  tag,
  type ValueOf,
} from '../schema/index.js';
import { rsp } from './module.js';

export const SegmentedCrlList = rsp('SegmentedCrlList', sequenceOf(CertificateList));
export type SegmentedCrlList = ValueOf<typeof SegmentedCrlList>;

export const LoadCRLRequest = rsp('LoadCRLRequest', tag(53, sequence({ crl: CertificateList })));
export type LoadCRLRequest = ValueOf<typeof LoadCRLRequest>;

export const LoadCRLResponseOk = rsp(
  'LoadCRLResponseOk',
  sequence({ missingParts: optional(sequenceOf(INTEGER)) }),
);
export type LoadCRLResponseOk = ValueOf<typeof LoadCRLResponseOk>;

export const LoadCRLResponseError = rsp(
  'LoadCRLResponseError',
  integer({
    invalidSignature: 1,
    invalidCRLFormat: 2,
    notEnoughMemorySpace: 3,
    verificationKeyNotFound: 4,
    fresherCrlAlreadyLoaded: 5,
    baseCrlMissing: 6,
    undefinedError: 127,
  }),
);
export type LoadCRLResponseError = ValueOf<typeof LoadCRLResponseError>;

export const LoadCRLResponse = rsp(
  'LoadCRLResponse',
  tag(53, choice({ loadCRLResponseOk: LoadCRLResponseOk, loadCRLResponseError: LoadCRLResponseError })),
);
export type LoadCRLResponse = ValueOf<typeof LoadCRLResponse>;

export const ExpirationDate = rsp('ExpirationDate', Time);
export type ExpirationDate = ValueOf<typeof ExpirationDate>;
export const TotalPartialCrlNumber = rsp('TotalPartialCrlNumber', INTEGER);
export type TotalPartialCrlNumber = ValueOf<typeof TotalPartialCrlNumber>;
export const PartialCrlNumber = rsp('PartialCrlNumber', INTEGER);
export type PartialCrlNumber = ValueOf<typeof PartialCrlNumber>;

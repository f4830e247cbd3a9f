/** SGP.32 eIM configuration: EimConfigurationData and the ES10b functions that carry it. */
import { Certificate, SubjectKeyIdentifier, SubjectPublicKeyInfo } from '../pkix/index.js';
import {
  bitString,
  choice,
  integer,
  NULL,
  optional,
  sequence,
  sequenceOf,
  tag,
  UTF8String,
  utf8String,
  type ValueOf,
} from '../schema/index.js';
import { EimIdType } from './common.js';
import { sgp32 } from './module.js';

export const EimSupportedProtocol = sgp32(
  'EimSupportedProtocol',
  bitString({
    eimRetrieveHttps: 0,
    eimRetrieveCoaps: 1,
    eimInjectHttps: 2,
    eimInjectCoaps: 3,
    eimProprietary: 4,
  }),
);
export type EimSupportedProtocol = ValueOf<typeof EimSupportedProtocol>;

/**
 * The SPKI/Certificate alternatives are automatically tagged [0]/[1] and IMPLICIT, so on the
 * wire they are `A5 { A0 <SPKI contents> }`; the values hold the standard `30 ...` DER.
 */
export const EimConfigurationData = sgp32(
  'EimConfigurationData',
  sequence({
    eimId: tag(0, utf8String(1, 128)),
    eimFqdn: optional(tag(1, UTF8String)),
    eimIdType: optional(tag(2, EimIdType)),
    counterValue: optional(tag(3, integer())),
    associationToken: optional(tag(4, integer())),
    eimPublicKeyData: optional(
      tag(5, choice({ eimPublicKey: SubjectPublicKeyInfo, eimCertificate: Certificate })),
    ),
    trustedPublicKeyDataTls: optional(
      tag(6, choice({ trustedEimPkTls: SubjectPublicKeyInfo, trustedCertificateTls: Certificate })),
    ),
    eimSupportedProtocol: optional(tag(7, EimSupportedProtocol)),
    euiccCiPKId: optional(tag(8, SubjectKeyIdentifier)),
    indirectProfileDownload: optional(tag(9, NULL)),
  }),
);
export type EimConfigurationData = ValueOf<typeof EimConfigurationData>;

export const AddInitialEimRequest = sgp32(
  'AddInitialEimRequest',
  tag(87, sequence({ eimConfigurationDataList: tag(0, sequenceOf(EimConfigurationData)) })),
);
export type AddInitialEimRequest = ValueOf<typeof AddInitialEimRequest>;

export const AddInitialEimResponse = sgp32(
  'AddInitialEimResponse',
  tag(
    87,
    choice({
      addInitialEimOk: sequenceOf(choice({ associationToken: tag(4, integer()), addOk: NULL })),
      addInitialEimError: integer({
        insufficientMemory: 1,
        associatedEimAlreadyExists: 2,
        ciPKUnknown: 3,
        invalidAssociationToken: 5,
        counterValueOutOfRange: 6,
        commandError: 7,
        undefinedError: 127,
      }),
    }),
  ),
);
export type AddInitialEimResponse = ValueOf<typeof AddInitialEimResponse>;

export const GetEimConfigurationDataRequest = sgp32(
  'GetEimConfigurationDataRequest',
  tag(85, sequence({ searchCriteria: optional(choice({ eimId: tag(0, utf8String(1, 128)) })) })),
);
export type GetEimConfigurationDataRequest = ValueOf<typeof GetEimConfigurationDataRequest>;

export const GetEimConfigurationDataResponse = sgp32(
  'GetEimConfigurationDataResponse',
  tag(85, sequence({ eimConfigurationDataList: tag(0, sequenceOf(EimConfigurationData)) })),
);
export type GetEimConfigurationDataResponse = ValueOf<typeof GetEimConfigurationDataResponse>;

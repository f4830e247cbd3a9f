/**
 * @esim/asn1: SGP.32 v1.2 + SGP.22 v2.5 ASN.1 types with an exact DER codec. See README.md for
 * the value model. Plain names are the SGP.32 types; SGP.22 types that share a name with an
 * SGP.32 one are reachable as `RSPDefinitions.<Name>`.
 */
export { Asn1Error, Asn1DecodeError, Asn1EncodeError } from './errors.js';
export {
  decode,
  decodeWithInfo,
  encode,
  toJson,
  fromJson,
  derOf,
  parseCertificate,
  parseSubjectPublicKeyInfo,
  x509Der,
  EXTENSIONS,
  UNKNOWN_ALTERNATIVE,
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_SIZE,
  type AnySchema,
  type Schema,
  type ValueOf,
  type Json,
  type BitString,
  type DecodeOptions,
  type DecodeResult,
  type Asn1Warning,
  type Extensible,
  type UnknownAlternative,
  type KnownAlternative,
} from './schema/index.js';
export { hex, parseHex, parseBase64 } from './der/hex.js';

export * from './pkix/index.js';
export * from './pe/index.js';
export * from './rsp/index.js';
export * from './sgp32/index.js';
// Where both modules define a name, the plain name is the SGP.32 type (the eIM's context).
export {
  AuthenticateClientRequest,
  AuthenticateResponseOk,
  AuthenticateServerResponse,
  CancelSessionOk,
  CancelSessionResponse,
  EUICCInfo2,
  EuiccMemoryResetRequest,
  EuiccMemoryResetResponse,
  EuiccSigned1,
  PendingNotification,
  PrepareDownloadResponse,
  ProfileInfo,
  ProfileInfoListError,
  ProfileInfoListResponse,
  ProfileInstallationResult,
  RetrieveNotificationsListRequest,
  RetrieveNotificationsListResponse,
  SetDefaultDpAddressRequest,
  SetDefaultDpAddressResponse,
  StoreMetadataRequest,
} from './sgp32/index.js';

import * as SGP32Definitions from './sgp32/index.js';
import * as RSPDefinitions from './rsp/index.js';
import * as SGP32v10Definitions from './sgp32v10/index.js';
import * as schema from './schema/index.js';
export { SGP32Definitions, RSPDefinitions, SGP32v10Definitions, schema };

export { listTypes, lookupType, plainNames, type TypeEntry } from './registry.js';
export {
  decodeEsipaFromIpa,
  decodeEsipaFromEim,
  type EsipaVersion,
  type Versioned,
  type VersionedDecodeOptions,
} from './esipa-version.js';
export * as cli from './cli.js';

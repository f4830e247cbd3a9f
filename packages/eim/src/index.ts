export { eimMigrations, type Migration } from './store/migrations/index.js';
export * from './store/eim-store.js';
export { KnexEimStore } from './store/knex-eim-store.js';
export { Eim, EimRequestError, type EimOptions, type QueueRequest, type QueuedPackage } from './eim.js';
export type { EimEvent, EimListener, NotifiedOperation } from './events.js';
export { EimRejection, type RejectionReason } from './errors.js';
export {
  loadOrCreateEimCredentials,
  type EimCredentials,
  type EimCredentialFiles,
} from './crypto/eim-credentials.js';
export { EuiccChainVerifier, readCertificates } from './crypto/euicc-chain.js';
export { importP256PrivateKey, importP256PublicKey, signRS, verifyRS } from './crypto/ecdsa.js';
export {
  PackageBuilder,
  IpaEuiccDataTags,
  tagList,
  newEimTransactionId,
  type IpaEuiccDataItem,
} from './packages/package-builder.js';
export { verdictOf, type ResultVerdict } from './results/result-codes.js';
export {
  EsipaHandler,
  EsipaRequestError,
  esipaFunctionOf,
  type EsipaFunction,
  type EsipaReply,
} from './esipa/esipa-handler.js';
export { Es9PlusRelay } from './esipa/es9plus-relay.js';
export type { Es9PlusClient } from './esipa/es9plus-client.js';
export {
  HttpEs9PlusClient,
  Es9PlusCallError,
  type HttpEs9PlusClientOptions,
} from './esipa/es9plus-http-client.js';
export { eidFromBytes, isValidEid, iccidToBytes, iccidFromBytes, toHex, fromHex } from './identifiers.js';
export {
  esipaHttpPlugin,
  ESIPA_ASN1_CONTENT_TYPE,
  ESIPA_ADMIN_PROTOCOL,
  type EsipaHttpOptions,
} from './http/esipa-http.js';
export { eimConfigurationData, type EimIdentity } from './eim-configuration.js';
export { eidOfCertificate } from './crypto/euicc-chain.js';
export {
  startEsipaCoap,
  ESIPA_COAP_PATH,
  ESIPA_COAP_CONTENT_FORMAT,
  type EsipaCoapOptions,
  type EsipaCoapServer,
} from './coap/esipa-coap.js';
export {
  EsipaMqttEndpoint,
  ESIPA_MQTT_PREFIX,
  ESIPA_MQTT_CONTENT_TYPE,
  ESIPA_MQTT_ERROR_PROPERTY,
  type EsipaMqttOptions,
} from './mqtt/esipa-mqtt.js';

/** The SGP.32 device simulator: eUICC model, PKI, IPA, fleet; the SM-DP+ simulator. */
export { Euicc, type PendingNotificationEntry } from './euicc/euicc.js';
export { initialEuiccState, type EuiccState, type ProfileRecord, type EimRecord } from './euicc/state.js';
export { factoryProfiles } from './euicc/profiles.js';
export { MAX_COUNTER_VALUE } from './euicc/eim-configuration.js';
export type { EuiccCredentials } from './pki/credentials.js';
export { loadSgp26Credentials, SGP26_EID, sgp26Dir } from './pki/sgp26.js';
export { loadOrCreateFleetPki, fleetEid, type FleetPki } from './pki/fleet-pki.js';
export { isValidEid, eidWithCheckDigits } from './pki/eid.js';
export { iccidToBytes, iccidFromBytes, iccidWithCheckDigit } from './pki/iccid.js';
export {
  Ipa,
  EimNotConfiguredError,
  EimPackageError,
  NoPackageToReplayError,
  MAX_PACKAGES_PER_POLL,
  type IpaOptions,
  type IpaStats,
} from './ipa/ipa.js';
export {
  Fleet,
  UnknownDeviceError,
  type FleetOptions,
  type DeviceDescription,
  type EsipaTransport,
} from './ipa/fleet.js';
export { adminServer, adminRoutes } from './ipa/admin-routes.js';
export {
  HttpEsipaClient,
  ESIPA_ASN1_PATH,
  ESIPA_CONTENT_TYPE,
  type EsipaClient,
} from './ipa/esipa-client.js';
export { JsonEsipaClient, ESIPA_JSON_PATH } from './ipa/esipa-json-client.js';
export { CoapEsipaClient, type CoapEsipaClientOptions } from './ipa/esipa-coap-client.js';
export {
  MqttEsipaClient,
  ESIPA_MQTT_DEFAULT_PREFIX,
  type MqttEsipaClientOptions,
} from './ipa/esipa-mqtt-client.js';
export {
  EsipaProtocolError,
  ESIPA_ADMIN_PROTOCOL,
  MAX_ANSWER_BYTES,
  type HttpEsipaClientOptions,
} from './ipa/http-transport.js';
export { NO_FAULTS, OfflineError, DroppedResponseError, RebootedError, type Faults } from './ipa/faults.js';
export { loadEuiccState, saveEuiccState, StateFileError } from './euicc/state-file.js';
export { Limiter } from './ipa/limiter.js';
export {
  SmdpPlus,
  Es9RequestError,
  type DownloadRecord,
  type SmdpPlusOptions,
} from './smdpplus/smdp-plus.js';
export {
  startSmdpServer,
  ES9PLUS_ASN1_PATH,
  type SmdpServer,
  type SmdpServerOptions,
} from './smdpplus/smdp-server.js';
export {
  loadProfilesDir,
  defaultProfilesDir,
  profilePackage,
  ProfilePackageError,
  type ProfilePackage,
} from './smdpplus/profile-store.js';
export { loadSgp26SmdpCredentials, type SmdpCredentials } from './pki/smdp-credentials.js';
export { loadOrCreateSmdpPki } from './pki/fleet-pki.js';
export { Es9PlusClient, type Es9PlusClientOptions } from './ipa/es9plus-client.js';
export { downloadProfile, parseActivationCode, type ActivationCode } from './ipa/download.js';
export { imeiOf, SIMULATOR_TAC } from './pki/imei.js';

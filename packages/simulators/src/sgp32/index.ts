/** The SGP.32 device simulator: eUICC model, PKI, IPA, fleet. */
export { Euicc, EuiccPackageErrorCode, type PendingNotificationEntry } from './euicc/euicc.js';
export { initialEuiccState, type EuiccState, type ProfileRecord, type EimRecord } from './euicc/state.js';
export { factoryProfiles } from './euicc/profiles.js';
export { MAX_COUNTER_VALUE } from './euicc/eim-configuration.js';
export type { EuiccCredentials } from './pki/credentials.js';
export { loadSgp26Credentials, SGP26_EID, sgp26Dir } from './pki/sgp26.js';
export { loadOrCreateFleetPki, fleetEid, type FleetPki } from './pki/fleet-pki.js';
export { isValidEid, eidWithCheckDigits } from './pki/eid.js';
export { iccidToBytes, iccidFromBytes, iccidWithCheckDigit } from './pki/iccid.js';

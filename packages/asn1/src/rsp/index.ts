/** Every type of SGP.22 v2.5 RSPDefinitions (names as in the module). */
export * from './common.js';
export * from './euicc-info.js';
export * from './profile-management.js';
export * from './notifications.js';
export * from './authentication.js';
export * from './profile-download.js';
export * from './crl.js';
export * from './es9.js';

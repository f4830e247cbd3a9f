/** Every type of SGP.32 v1.2 SGP32Definitions, under its specification name. */
export * from './common.js';
export * from './eim-configuration.js';
export * from './euicc-package.js';
export * from './notifications.js';
export * from './ipa-euicc-data.js';
export * from './profile-download.js';
export * from './es10b.js';
export * from './esipa.js';

/**
 * Every type of the SGP.32 v1.0.1 module: v1.0.1 definitions where the wire form or names differ
 * from v1.2, and the v1.2 definition where it decodes v1.0.1 bytes identically.
 */
export * from './reused.js';
export * from './types.js';
export * from './esipa-messages.js';

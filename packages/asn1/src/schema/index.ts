export * from './types.js';
export { app, priv, ctxTag, univ, tag, define, derOf, describeSchema, type TagSpec } from './core.js';
export * from './primitives.js';
export * from './constructed.js';
export {
  x509,
  X509Base,
  parseCertificate,
  parseSubjectPublicKeyInfo,
  x509Der,
  type X509Kind,
} from './x509.js';
export { OPEN_TYPE, OpenBase } from './open.js';
export * from './api.js';
export type { Size } from './size.js';

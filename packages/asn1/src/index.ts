export { Asn1Error, Asn1DecodeError, Asn1EncodeError } from './errors.js';
export * from './schema/index.js';

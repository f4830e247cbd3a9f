/**
 * The few PKIX (RFC 5280) types the GSMA modules import. X.509 structures are values holding
 * their standard DER (see schema/x509.ts); the rest are defined like any other type.
 */
import {
  choice,
  define,
  GeneralizedTime,
  OCTET_STRING,
  UTCTime,
  x509,
  type AnySchema,
  type ValueOf,
} from '../schema/index.js';

const explicit88 = <S extends AnySchema>(name: string, s: S): S => define('PKIX1Explicit88', name, s);
const implicit88 = <S extends AnySchema>(name: string, s: S): S => define('PKIX1Implicit88', name, s);

export const Certificate = explicit88('Certificate', x509('Certificate'));
export type Certificate = ValueOf<typeof Certificate>;

export const SubjectPublicKeyInfo = explicit88('SubjectPublicKeyInfo', x509('SubjectPublicKeyInfo'));
export type SubjectPublicKeyInfo = ValueOf<typeof SubjectPublicKeyInfo>;

export const CertificateList = explicit88('CertificateList', x509('CertificateList'));
export type CertificateList = ValueOf<typeof CertificateList>;

export const Time = explicit88('Time', choice({ utcTime: UTCTime, generalTime: GeneralizedTime }));
export type Time = ValueOf<typeof Time>;

export const KeyIdentifier = implicit88('KeyIdentifier', OCTET_STRING);
export type KeyIdentifier = ValueOf<typeof KeyIdentifier>;

export const SubjectKeyIdentifier = implicit88('SubjectKeyIdentifier', KeyIdentifier);
export type SubjectKeyIdentifier = ValueOf<typeof SubjectKeyIdentifier>;

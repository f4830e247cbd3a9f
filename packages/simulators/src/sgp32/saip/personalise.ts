/**
 * A profile package with another ICCID: the two places a TS.48-style package holds it, the
 * ProfileHeader (`83`, plain hex digits) and the content of EF.ICCID (swapped BCD), rewritten in
 * place (same length, so no TLV length changes).
 */
import { iccidToBytes } from '../pki/iccid.js';
import { ProfilePackageError } from './profile-header.js';

const headerCoding = (iccid: string) => Buffer.from(iccid.padEnd(20, 'F'), 'hex');

function replaceOnce(upp: Buffer, from: Buffer, to: Buffer, what: string): void {
  const at = upp.indexOf(from);
  if (at < 0 || upp.indexOf(from, at + 1) >= 0)
    throw new ProfilePackageError(`the package does not hold its ICCID exactly once in ${what}`);
  to.copy(upp, at);
}

export function withIccid(upp: Uint8Array, iccid: string, newIccid: string): Uint8Array {
  const out = Buffer.from(upp);
  replaceOnce(out, headerCoding(iccid), headerCoding(newIccid), 'the ProfileHeader');
  replaceOnce(out, Buffer.from(iccidToBytes(iccid)), Buffer.from(iccidToBytes(newIccid)), 'EF.ICCID');
  return new Uint8Array(out);
}

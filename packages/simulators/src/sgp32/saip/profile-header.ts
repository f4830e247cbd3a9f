/**
 * The ProfileHeader of an unprotected profile package (SAIP / TCA eUICC Profile Package,
 * PEDefinitions): the first ProfileElement, read far enough for the ICCID and the profile type.
 */
import { readTlv, TlvError } from '../bsp/tlv.js';

/** A file that is not an unprotected profile package starting with its ProfileHeader. */
export class ProfilePackageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProfilePackageError';
  }
}

/**
 * ICCID and profile type from the first ProfileElement, `header [0] ProfileHeader`:
 * `A0 { 80 major, 81 minor, [82 profileType], 83 iccid, ... }` (SAIP 2.3, PEDefinitions).
 */
export function profileHeaderOf(upp: Uint8Array): { iccid: string; profileType?: string } {
  try {
    const header = readTlv(upp);
    if (header.tag.length !== 1 || header.tag[0] !== 0xa0)
      throw new ProfilePackageError('the first ProfileElement is not the ProfileHeader (A0)');
    let iccid: string | undefined;
    let profileType: string | undefined;
    for (let pos = 0; pos < header.value.length;) {
      const field = readTlv(header.value, pos);
      if (field.tag[0] === 0x82) profileType = Buffer.from(field.value).toString('utf8');
      if (field.tag[0] === 0x83) iccid = Buffer.from(field.value).toString('hex').toUpperCase();
      pos = field.end;
    }
    const digits = iccid?.replace(/F+$/, '');
    if (!digits || !/^\d{18,20}$/.test(digits))
      throw new ProfilePackageError('the ProfileHeader has no valid iccid');
    return { iccid: digits, ...(profileType !== undefined ? { profileType } : {}) };
  } catch (e) {
    if (e instanceof TlvError) throw new ProfilePackageError(`not a profile package: ${e.message}`);
    throw e;
  }
}

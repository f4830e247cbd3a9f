/**
 * The profiles an SM-DP+ simulator offers: unprotected profile packages (SAIP DER, a sequence of
 * ProfileElements), each released under a matching ID. The ICCID is the one in the package's
 * ProfileHeader, so the installed profile is the one the package describes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readTlv, TlvError } from '../bsp/tlv.js';

export interface ProfilePackage {
  matchingId: string;
  /** Digits, as printed (the header codes them as plain hex digits, not swapped BCD). */
  iccid: string;
  /** ProfileHeader.profileType, used as the profile name of the metadata. */
  profileName: string;
  serviceProviderName: string;
  upp: Uint8Array;
}

/** A file that is not an unprotected profile package starting with its ProfileHeader. */
export class ProfilePackageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProfilePackageError';
  }
}

/** The TS.48 test profiles next to the repository (`../shared/vectors/profiles`). */
export function defaultProfilesDir(): string {
  return (
    process.env.ESIM_PROFILES_DIR ??
    fileURLToPath(new URL('../../../../../../shared/vectors/profiles', import.meta.url))
  );
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

export function profilePackage(
  matchingId: string,
  upp: Uint8Array,
  serviceProviderName = 'GSMA Test',
): ProfilePackage {
  const { iccid, profileType } = profileHeaderOf(upp);
  return { matchingId, iccid, profileName: profileType ?? matchingId, serviceProviderName, upp };
}

/** Every `*.der` of `dir`, each under its file name without the extension as matching ID. */
export function loadProfilesDir(dir: string = defaultProfilesDir()): ProfilePackage[] {
  return readdirSync(dir)
    .filter((f) => extname(f) === '.der')
    .sort()
    .map((f) => {
      try {
        return profilePackage(basename(f, '.der'), new Uint8Array(readFileSync(join(dir, f))));
      } catch (e) {
        if (e instanceof ProfilePackageError) throw new ProfilePackageError(`${join(dir, f)}: ${e.message}`);
        throw e;
      }
    });
}

/**
 * The profiles an SM-DP+ simulator offers: unprotected profile packages (SAIP DER, a sequence of
 * ProfileElements), each released under a matching ID. The ICCID is the one in the package's
 * ProfileHeader, so the installed profile is the one the package describes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { profileHeaderOf, ProfilePackageError } from '../saip/profile-header.js';

export interface ProfilePackage {
  matchingId: string;
  /** Digits, as printed (the header codes them as plain hex digits, not swapped BCD). */
  iccid: string;
  /** ProfileHeader.profileType, used as the profile name of the metadata. */
  profileName: string;
  serviceProviderName: string;
  upp: Uint8Array;
}

export { ProfilePackageError };

/** The TS.48 test profiles next to the repository (`../shared/vectors/profiles`). */
export function defaultProfilesDir(): string {
  return (
    process.env.ESIM_PROFILES_DIR ??
    fileURLToPath(new URL('../../../../../../shared/vectors/profiles', import.meta.url))
  );
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

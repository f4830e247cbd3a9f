import { UnprocessableError } from '../errors.js';

/**
 * Names of fields that carry subscriber or card keys (3GPP Ki/K, OP/OPc, the OTA keys that SIM
 * vendors' output files list as KIC/KID/KIK, private keys) or passwords: the product never holds
 * such data (DESIGN.md section 4; a platform's auth names a secret held elsewhere), so it refuses a
 * record that carries one rather than drop the field silently. Certificates are public and pass.
 */
const keyNames =
  /^(ki|k|opc?|ki[cdk][0-9]*|dek|psk|secret_?key|private_?key|privkey|sk|key_?material|auth_?key|enc_?key|mac_?key|password|passwd|client_?secret)$/i;
const pemBlock = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;

/** The path of the first field that looks like key material, if any. */
export function findKeyMaterial(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return pemBlock.test(value) ? path || '/' : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [k, v] of Object.entries(value)) {
    const here = `${path}/${k}`;
    if (!Array.isArray(value) && keyNames.test(k.replace(/[-\s]/g, '_'))) return here;
    const found = findKeyMaterial(v, here);
    if (found) return found;
  }
  return undefined;
}

export function refuseKeyMaterial(value: unknown, where = 'body'): void {
  const path = findKeyMaterial(value);
  if (path)
    throw new UnprocessableError(
      `${where}${path} looks like key material or a password (Ki, OPc, a private key); the orchestrator never stores keys or secrets`,
      { path, code: 'key_material_refused' },
    );
}

/**
 * EID check digits (GSMA SGP.29): the 32-digit EID read as a number is 1 modulo 97, like an
 * IBAN. The two last digits are chosen to make it so.
 */
const EID_DIGITS = /^\d{32}$/;

export function isValidEid(eid: string): boolean {
  return EID_DIGITS.test(eid) && BigInt(eid) % 97n === 1n;
}

/** Completes the first 30 digits of an EID with its check digits. */
export function eidWithCheckDigits(first30: string): string {
  if (!/^\d{30}$/.test(first30)) throw new RangeError(`EID body must be 30 digits, got "${first30}"`);
  const check = 98n - (BigInt(`${first30}00`) % 97n);
  return `${first30}${check.toString().padStart(2, '0')}`;
}

export function eidBytes(eid: string): Uint8Array {
  return new Uint8Array(Buffer.from(eid, 'hex'));
}

/**
 * ICCIDs as EF.ICCID codes them (ITU-T E.118 digits with a Luhn check digit, BCD with the
 * nibbles of each byte swapped, padded with F to 10 bytes).
 */
export function luhnCheckDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** The 20-character ICCID (19 digits + Luhn) from its first 19 digits. */
export function iccidWithCheckDigit(first19: string): string {
  if (!/^\d{19}$/.test(first19)) throw new RangeError(`ICCID body must be 19 digits, got "${first19}"`);
  return first19 + luhnCheckDigit(first19);
}

export function iccidToBytes(iccid: string): Uint8Array {
  if (!/^\d{18,20}$/.test(iccid)) throw new RangeError(`ICCID must be 18 to 20 digits, got "${iccid}"`);
  const padded = iccid.padEnd(20, 'F');
  const out = new Uint8Array(10);
  for (let i = 0; i < 10; i++) out[i] = parseInt(padded[2 * i + 1]! + padded[2 * i]!, 16);
  return out;
}

export function iccidFromBytes(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += (b & 0x0f).toString(16) + (b >> 4).toString(16);
  return s.replace(/f+$/i, '').toUpperCase();
}

/** EIDs, ICCIDs and transaction ids as the wire carries them and as people (and the database) write them. */

export const toHex = (b: Uint8Array): string =>
  Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex').toUpperCase();

export function fromHex(text: string): Uint8Array {
  if (!/^([0-9a-fA-F]{2})*$/.test(text)) throw new RangeError(`not hex: "${text}"`);
  return new Uint8Array(Buffer.from(text, 'hex'));
}

/** EID (32 digits, ISO/IEC 7812 check digits: the number mod 97 is 1) from its 16 octets. */
export function eidFromBytes(b: Uint8Array): string | undefined {
  const eid = toHex(b);
  return isValidEid(eid) ? eid : undefined;
}

export function isValidEid(eid: string): boolean {
  return /^[0-9]{32}$/.test(eid) && BigInt(eid) % 97n === 1n;
}

/**
 * ICCID as EF.ICCID codes it (SGP.22 Iccid, 10 octets): BCD with the digits of each octet
 * swapped, padded with F. '8944...' <-> 98 44 ...
 */
export function iccidToBytes(iccid: string): Uint8Array {
  if (!/^[0-9]{18,20}$|^[0-9]{19}F$/.test(iccid)) throw new RangeError(`not an ICCID: "${iccid}"`);
  const digits = iccid.padEnd(20, 'F');
  const out = new Uint8Array(10);
  for (let i = 0; i < 10; i++) out[i] = parseInt(digits[2 * i + 1]! + digits[2 * i]!, 16);
  return out;
}

export function iccidFromBytes(b: Uint8Array): string {
  let s = '';
  for (const byte of b) s += (byte & 0x0f).toString(16) + (byte >> 4).toString(16);
  return s.toUpperCase().replace(/F+$/, '');
}

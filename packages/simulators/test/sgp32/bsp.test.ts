/** The BSP code against the pySim vectors of ../shared/vectors/bsp-vectors.json. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BoundProfilePackage, decode } from '@esim/asn1';
import { BspError, BspSession } from '../../src/sgp32/bsp/bsp-session.js';
import { deriveBspKeys, ecka, type BspKeys } from '../../src/sgp32/bsp/session-keys.js';

interface Step {
  op: string;
  tag: string;
  plaintext: string;
  output: string;
}
const vectors = JSON.parse(
  readFileSync(new URL('../../../../../shared/vectors/bsp-vectors.json', import.meta.url), 'utf8'),
) as {
  ecka: { smdpOtsk: string; euiccOtpk: string; sharedSecret: string };
  kdf: {
    sharedSecret: string;
    hostId: string;
    eid: string;
    keyType: string;
    keyLength: number;
    expected: Record<string, string>;
  }[];
  sessionS: { keys: Record<string, string>; steps: Step[] };
  sessionPPK: { keys: Record<string, string>; steps: Step[] };
  bppDecrypt: {
    bppHex: string;
    sessionKeys: Record<string, string>;
    ppk: Record<string, string>;
    expectedFirstSequenceOf87Plaintext: string;
    expectedSequenceOf88Plaintext: string;
    expectedSequenceOf86PlaintextHex: string;
    expectedSequenceOf86PlaintextLength: number;
  };
};

const bytes = (hex: string) => new Uint8Array(Buffer.from(hex, 'hex'));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();
const keysOf = (k: Record<string, string>): BspKeys => ({
  sEnc: bytes(k.sEnc!),
  sMac: bytes(k.sMac!),
  initialMacChainingValue: bytes(k.initialMacChainingValue!),
});

describe('BSP session keys', () => {
  it('ECKA gives the shared secret of the vector', () => {
    const { smdpOtsk, euiccOtpk, sharedSecret } = vectors.ecka;
    expect(hex(ecka(bytes(smdpOtsk), bytes(euiccOtpk)))).toBe(sharedSecret);
  });

  it.each(vectors.kdf)('the X9.63 KDF derives S-ENC, S-MAC and the MCV (EID $eid)', (v) => {
    const keys = deriveBspKeys(
      bytes(v.sharedSecret),
      bytes(v.hostId),
      bytes(v.eid),
      parseInt(v.keyType, 16),
      v.keyLength,
    );
    expect(hex(keys.sEnc)).toBe(v.expected.sEnc);
    expect(hex(keys.sMac)).toBe(v.expected.sMac);
    expect(hex(keys.initialMacChainingValue)).toBe(v.expected.initialMacChainingValue);
  });
});

describe('BSP protection', () => {
  it.each([
    ['session S-ENC/S-MAC', vectors.sessionS],
    ['session PPK', vectors.sessionPPK],
  ] as const)('%s: each TLV is protected as in the vector, and unprotected back', (_, session) => {
    const sender = new BspSession(keysOf(session.keys));
    const receiver = new BspSession(keysOf(session.keys));
    for (const step of session.steps) {
      const encrypt = step.op !== 'macOnly';
      const tlv = sender.protect(parseInt(step.tag, 16), bytes(step.plaintext), encrypt);
      expect(hex(tlv)).toBe(step.output);
      expect(hex(receiver.unprotect(tlv, encrypt))).toBe(step.plaintext);
    }
  });

  it('a changed byte fails the MAC, and the chain stays broken for the next TLV', () => {
    const { keys, steps } = vectors.sessionS;
    const receiver = new BspSession(keysOf(keys));
    const tampered = bytes(steps[0]!.output);
    tampered[5]! ^= 1;
    expect(() => receiver.unprotect(tampered, true)).toThrow(BspError);
    expect(() => receiver.unprotect(bytes(steps[1]!.output), false)).toThrow(/does not verify/);
  });

  it('decrypts the complete BPP of the vector (S keys, then the PPK)', () => {
    const v = vectors.bppDecrypt;
    const bpp = decode(BoundProfilePackage, bytes(v.bppHex));
    // This BPP double-wraps each element: the OCTET STRING holds the whole BSP TLV.
    const s = new BspSession(keysOf(v.sessionKeys));
    expect(hex(s.unprotect(bpp.firstSequenceOf87[0]!, true))).toBe(v.expectedFirstSequenceOf87Plaintext);
    expect(hex(bpp.sequenceOf88.map((t) => s.unprotect(t, false)).reduce(cat))).toBe(
      v.expectedSequenceOf88Plaintext,
    );
    const ppk = new BspSession(keysOf(v.ppk));
    const upp = bpp.sequenceOf86.map((t) => ppk.unprotect(t, true)).reduce(cat);
    expect(upp.length).toBe(v.expectedSequenceOf86PlaintextLength);
    expect(hex(upp).startsWith(v.expectedSequenceOf86PlaintextHex)).toBe(true);
  });
});

function cat(a: Uint8Array, b: Uint8Array): Uint8Array {
  return new Uint8Array(Buffer.concat([a, b]));
}

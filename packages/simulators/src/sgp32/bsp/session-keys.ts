/**
 * BSP session key agreement (SGP.22 2.6.4.1 - 2.6.4.2): ECKA-DH on NIST P-256 between the one-time
 * keys of the SM-DP+ and the eUICC, then the X9.63 KDF with SHA-256 into the initial MAC chaining
 * value, S-ENC and S-MAC.
 */
import { createECDH, createHash } from 'node:crypto';

export interface BspKeys {
  sEnc: Uint8Array;
  sMac: Uint8Array;
  initialMacChainingValue: Uint8Array;
}

/** keyType of the ControlRefTemplate: AES (GlobalPlatform key type 88). */
export const BSP_KEY_TYPE = 0x88;
/** keyLen of the ControlRefTemplate: 16 bytes, AES-128. */
export const BSP_KEY_LENGTH = 16;

/** A fresh one-time key pair (otPK/otSK.xx.ECKA); the public key uncompressed (04 || X || Y). */
export function oneTimeKeyPair(): { publicKey: Uint8Array; privateKey: Uint8Array } {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { publicKey: new Uint8Array(ecdh.getPublicKey()), privateKey: new Uint8Array(ecdh.getPrivateKey()) };
}

/** ECKA-DH: the x-coordinate of otSK * otPK. Throws on a point that is not on the curve. */
export function ecka(privateKey: Uint8Array, otherPublicKey: Uint8Array): Uint8Array {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(privateKey);
  return new Uint8Array(ecdh.computeSecret(otherPublicKey));
}

const lv = (value: Uint8Array) => Buffer.concat([Buffer.from([value.length]), value]);

/**
 * X9.63 KDF (SHA-256, 32-bit counter from 1) over sharedInfo = keyType || keyLength ||
 * L(hostId) || hostId || L(EID) || EID; the first 48 bytes are initialMCV, S-ENC, S-MAC.
 */
export function deriveBspKeys(
  sharedSecret: Uint8Array,
  hostId: Uint8Array,
  eid: Uint8Array,
  keyType = BSP_KEY_TYPE,
  keyLength = BSP_KEY_LENGTH,
): BspKeys {
  const sharedInfo = Buffer.concat([Buffer.from([keyType, keyLength]), lv(hostId), lv(eid)]);
  const blocks: Buffer[] = [];
  for (let counter = 1; blocks.length * 32 < 3 * keyLength; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    blocks.push(createHash('sha256').update(sharedSecret).update(c).update(sharedInfo).digest());
  }
  const out = new Uint8Array(Buffer.concat(blocks));
  return {
    initialMacChainingValue: out.slice(0, keyLength),
    sEnc: out.slice(keyLength, 2 * keyLength),
    sMac: out.slice(2 * keyLength, 3 * keyLength),
  };
}

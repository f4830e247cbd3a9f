/**
 * The BSP protection of one session (SGP.22 2.6.4.3 - 2.6.4.5, SCP03t): each TLV is either
 * encrypted (AES-128-CBC, ICV = AES(S-ENC, block counter), padding 80 00..) and MACed, or MACed
 * only; the MAC is AES-CMAC over MCV || tag || length || data, truncated to 8 bytes, and the full
 * CMAC is the next MCV. Both sides keep the same counter and chain, so TLVs must be processed in
 * order. The block counter advances for MAC-only TLVs too (docs/INTERPRETATION.md).
 */
import { createCipheriv, createDecipheriv, timingSafeEqual } from 'node:crypto';
import { cmac } from '@noble/ciphers/aes.js';
import type { BspKeys } from './session-keys.js';
import { derLength, singleTlv, TlvError } from './tlv.js';

const MAC_LENGTH = 8;
const BLOCK = 16;

/** A BSP TLV whose MAC does not match, or whose content cannot be deciphered. */
export class BspError extends Error {
  constructor(
    message: string,
    readonly reason: 'macMismatch' | 'badPadding' | 'malformed',
  ) {
    super(message);
    this.name = 'BspError';
  }
}

export class BspSession {
  private mcv: Uint8Array;
  private blockCounter = 1;

  constructor(private readonly keys: BspKeys) {
    this.mcv = keys.initialMacChainingValue;
  }

  /** `tag L ciphertext MAC` (encrypt) or `tag L plaintext MAC` (MAC only). */
  protect(tag: number, data: Uint8Array, encrypt: boolean): Uint8Array {
    const body = encrypt ? this.cipher(true, pad(data)) : Buffer.from(data);
    this.blockCounter++;
    const head = Buffer.concat([Buffer.from([tag]), derLength(body.length + MAC_LENGTH)]);
    const mac = this.chain(head, body);
    return new Uint8Array(Buffer.concat([head, body, mac]));
  }

  /** The plaintext of a TLV `protect` made; BspError when its MAC or padding is wrong. */
  unprotect(tlv: Uint8Array, encrypted: boolean): Uint8Array {
    let value: Uint8Array;
    try {
      value = singleTlv(tlv).value;
    } catch (e) {
      if (e instanceof TlvError) throw new BspError(e.message, 'malformed');
      throw e;
    }
    if (value.length < MAC_LENGTH) throw new BspError('TLV shorter than its MAC', 'malformed');
    const body = value.subarray(0, value.length - MAC_LENGTH);
    const head = tlv.subarray(0, tlv.length - value.length);
    const mac = this.chain(head, body);
    if (!timingSafeEqual(mac, value.subarray(value.length - MAC_LENGTH)))
      throw new BspError(`MAC of TLV ${tlv[0]!.toString(16)} does not verify`, 'macMismatch');
    const counter = this.blockCounter++;
    if (!encrypted) return new Uint8Array(body);
    if (body.length === 0 || body.length % BLOCK !== 0)
      throw new BspError('ciphertext is not a whole number of blocks', 'malformed');
    return unpad(this.cipher(false, body, counter));
  }

  private chain(head: Uint8Array, body: Uint8Array): Buffer {
    const full = cmac(new Uint8Array(Buffer.concat([this.mcv, head, body])), this.keys.sMac);
    this.mcv = full;
    return Buffer.from(full.subarray(0, MAC_LENGTH));
  }

  private cipher(encrypt: boolean, data: Uint8Array, counter = this.blockCounter): Buffer {
    const block = Buffer.alloc(BLOCK);
    block.writeUInt32BE(counter, BLOCK - 4);
    const icvCipher = createCipheriv('aes-128-ecb', this.keys.sEnc, null).setAutoPadding(false);
    const icv = Buffer.concat([icvCipher.update(block), icvCipher.final()]);
    const c = (encrypt ? createCipheriv : createDecipheriv)(
      'aes-128-cbc',
      this.keys.sEnc,
      icv,
    ).setAutoPadding(false);
    return Buffer.concat([c.update(data), c.final()]);
  }
}

function pad(data: Uint8Array): Buffer {
  const padded = Buffer.alloc((Math.floor(data.length / BLOCK) + 1) * BLOCK);
  padded.set(data);
  padded[data.length] = 0x80;
  return padded;
}

function unpad(data: Buffer): Uint8Array {
  let end = data.length - 1;
  while (end >= 0 && data[end] === 0) end--;
  if (end < 0 || data[end] !== 0x80) throw new BspError('bad padding', 'badPadding');
  return new Uint8Array(data.subarray(0, end));
}

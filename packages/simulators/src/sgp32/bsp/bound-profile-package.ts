/**
 * Binding an unprotected profile package into a BoundProfilePackage (SGP.22 2.5.5), and opening
 * one: ConfigureISDP encrypted, StoreMetadata MACed only, the profile in encrypted segments, all
 * in one BSP session (no ReplaceSessionKeys: the session keys protect the profile too).
 */
import type { BoundProfilePackage, InitialiseSecureChannelRequest } from '@esim/asn1';
import { BspError, type BspSession } from './bsp-session.js';
import { singleTlv, tlv } from './tlv.js';

/**
 * Plaintext bytes per protected TLV: 1007 pad to 1008 ciphertext bytes, 1016 with the MAC, under
 * 1 KiB (the size pySim's vectors use).
 */
export const SEGMENT_PLAINTEXT = 1007;

function segments(data: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < data.length; i += SEGMENT_PLAINTEXT) out.push(data.subarray(i, i + SEGMENT_PLAINTEXT));
  return out;
}

/** The element of a sequenceOf8x is the BSP TLV's value: the tag is the element's IMPLICIT tag. */
const protect = (session: BspSession, tag: number, data: Uint8Array, encrypt: boolean) =>
  singleTlv(session.protect(tag, data, encrypt)).value;

export function bindProfilePackage(
  session: BspSession,
  initialiseSecureChannelRequest: InitialiseSecureChannelRequest,
  configureIsdp: Uint8Array,
  storeMetadata: Uint8Array,
  upp: Uint8Array,
): BoundProfilePackage {
  return {
    initialiseSecureChannelRequest,
    firstSequenceOf87: [protect(session, 0x87, configureIsdp, true)],
    sequenceOf88: segments(storeMetadata).map((s) => protect(session, 0x88, s, false)),
    sequenceOf86: segments(upp).map((s) => protect(session, 0x86, s, true)),
  };
}

export interface OpenedProfilePackage {
  configureIsdp: Uint8Array;
  storeMetadata: Uint8Array;
  upp: Uint8Array;
}

/** The BPP part whose TLV failed: a BppCommandId name of SGP.22 ErrorResult. */
export type BppCommand = 'configureISDP' | 'storeMetadata' | 'replaceSessionKeys' | 'loadProfileElements';

export class BppOpenError extends Error {
  constructor(
    readonly command: BppCommand,
    readonly failure: BspError,
  ) {
    super(`${command}: ${failure.message}`);
    this.name = 'BppOpenError';
  }
}

/** Verifies every MAC and deciphers, in the order the SM-DP+ protected; BppOpenError on the first failure. */
export function openBoundProfilePackage(session: BspSession, bpp: BoundProfilePackage): OpenedProfilePackage {
  const open = (command: BppCommand, tag: number, values: Uint8Array[], encrypted: boolean) => {
    try {
      return new Uint8Array(Buffer.concat(values.map((v) => session.unprotect(tlv([tag], v), encrypted))));
    } catch (e) {
      if (e instanceof BspError) throw new BppOpenError(command, e);
      throw e;
    }
  };
  const configureIsdp = open('configureISDP', 0x87, bpp.firstSequenceOf87, true);
  const storeMetadata = open('storeMetadata', 0x88, bpp.sequenceOf88, false);
  if (bpp.secondSequenceOf87?.length)
    throw new BppOpenError(
      'replaceSessionKeys',
      new BspError('ReplaceSessionKeys (a PPK-protected profile) is not supported', 'malformed'),
    );
  return { configureIsdp, storeMetadata, upp: open('loadProfileElements', 0x86, bpp.sequenceOf86, true) };
}

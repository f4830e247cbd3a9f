/**
 * The data the download signatures cover beyond a single TLV (SGP.22 5.5.x, 5.6.2-3): the signed
 * structure followed by the other side's previous signature as a `5F37` TLV, which chains each
 * signature to the one before it.
 */
import { encode, InitialiseSecureChannelRequest } from '@esim/asn1';
import { readTlv, tlv } from './tlv.js';

const SIGNATURE_TAG = [0x5f, 0x37];

export const signatureTlv = (signature: Uint8Array) => tlv(SIGNATURE_TAG, signature);

export function chained(signed: Uint8Array, previousSignature: Uint8Array): Uint8Array {
  return new Uint8Array(Buffer.concat([signed, signatureTlv(previousSignature)]));
}

/**
 * smdpSign covers remoteOpId, transactionId, controlRefTemplate and smdpOtpk as they appear in
 * InitialiseSecureChannelRequest (`der`, its exact TLV), then euiccSignature2.
 */
export function smdpSignData(der: Uint8Array, euiccSignature2: Uint8Array): Uint8Array {
  const { value } = readTlv(der);
  const parts: Uint8Array[] = [];
  for (let pos = 0; pos < value.length;) {
    const field = readTlv(value, pos);
    if (!(field.tag[0] === SIGNATURE_TAG[0] && field.tag[1] === SIGNATURE_TAG[1]))
      parts.push(value.subarray(pos, field.end));
    pos = field.end;
  }
  return chained(new Uint8Array(Buffer.concat(parts)), euiccSignature2);
}

/** The DER of an InitialiseSecureChannelRequest whose smdpSign is still to be computed. */
export function unsignedInitialiseSecureChannel(
  value: Omit<InitialiseSecureChannelRequest, 'smdpSign'>,
): Uint8Array {
  return encode(InitialiseSecureChannelRequest, { ...value, smdpSign: new Uint8Array(64) });
}

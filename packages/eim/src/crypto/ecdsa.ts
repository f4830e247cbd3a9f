import { createPrivateKey, webcrypto } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;

const P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SHA256 = { name: 'ECDSA', hash: 'SHA-256' } as const;

/**
 * An ECDSA P-256 private key from PEM, in either form GSMA and OpenSSL hand out (SEC1
 * `EC PRIVATE KEY`, possibly after an `EC PARAMETERS` block, or PKCS#8): WebCrypto reads PKCS#8 only.
 */
export async function importP256PrivateKey(pem: string): Promise<CryptoKey> {
  const pkcs8 = createPrivateKey(pem).export({ format: 'der', type: 'pkcs8' });
  return webcrypto.subtle.importKey('pkcs8', pkcs8, P256, true, ['sign']);
}

export async function importP256PublicKey(spki: Uint8Array): Promise<CryptoKey> {
  return webcrypto.subtle.importKey('spki', spki, P256, true, ['verify']);
}

/** ECDSA-SHA256, signature as r || s (64 bytes, BSI TR-03111 plain format), as WebCrypto gives it. */
export async function signRS(key: CryptoKey, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await webcrypto.subtle.sign(SHA256, key, data));
}

export async function verifyRS(key: CryptoKey, signature: Uint8Array, data: Uint8Array): Promise<boolean> {
  if (signature.length !== 64) return false;
  return webcrypto.subtle.verify(SHA256, key, signature, data);
}

/**
 * The eIM configuration list of the card (SGP.32 2.4a / 5.9.x eCOs and AddInitialEim): checks of
 * EimConfigurationData and the eIM public key each record verifies packages with.
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import { EimConfigurationData, fromJson, toJson } from '@esim/asn1';
import type { Card } from './card.js';
import { publicKeyFromCertificate, publicKeyFromSpki } from './signing.js';
import type { EimRecord } from './state.js';

/** The largest counterValue the card stores (a 31-bit register, see docs/INTERPRETATION.md). */
export const MAX_COUNTER_VALUE = 0x7fffffff;
/** How many eIMs the card can hold before insufficientMemory. */
export const MAX_EIMS = 8;

/** Result codes shared by AddEimResult, UpdateEimResult and AddInitialEimResponse. */
export const EimConfigurationError = {
  insufficientMemory: 1,
  associatedEimAlreadyExists: 2,
  ciPKUnknown: 3,
  counterValueOutOfRange: 6,
  commandError: 7,
} as const;

const keys = new WeakMap<EimRecord, KeyObject>();

/** Read from the JSON form directly: looked up for every package, it must stay cheap. */
export function eimIdOf(record: EimRecord): string {
  return (record.configuration as { eimId: string }).eimId;
}

export function configurationOf(record: EimRecord): EimConfigurationData {
  return fromJson(EimConfigurationData, record.configuration);
}

export function findEim(card: Card, eimId: string): EimRecord | undefined {
  return card.state.eims.find((e) => eimIdOf(e) === eimId);
}

function keyOf(data: EimConfigurationData): KeyObject {
  const pk = data.eimPublicKeyData!;
  return pk.eimPublicKey ? publicKeyFromSpki(pk.eimPublicKey) : publicKeyFromCertificate(pk.eimCertificate!);
}

/** The key that verifies eimSignature; checked when the record was stored, so it parses. */
export function eimPublicKey(record: EimRecord): KeyObject {
  let key = keys.get(record);
  if (!key) {
    key = keyOf(configurationOf(record));
    keys.set(record, key);
  }
  return key;
}

/**
 * A configuration the card can work with: a parsable eIM key, an initial counter in range, and,
 * when the eIM names the CI its certificate chains to, a CI this card trusts and a certificate
 * that CI really signed.
 */
export function checkEimConfiguration(card: Card, data: EimConfigurationData): number | undefined {
  if (!data.eimPublicKeyData) return EimConfigurationError.commandError;
  try {
    keyOf(data);
  } catch {
    return EimConfigurationError.commandError;
  }
  if (data.counterValue !== undefined && (data.counterValue < 0 || data.counterValue > MAX_COUNTER_VALUE)) {
    return EimConfigurationError.counterValueOutOfRange;
  }
  if (data.euiccCiPKId) {
    if (Buffer.compare(data.euiccCiPKId, card.credentials.ciPkId) !== 0)
      return EimConfigurationError.ciPKUnknown;
    const certificate = data.eimPublicKeyData.eimCertificate;
    const ci = new X509Certificate(card.credentials.ciCertificate);
    if (certificate && !new X509Certificate(certificate).verify(ci.publicKey)) {
      return EimConfigurationError.ciPKUnknown;
    }
  }
  return undefined;
}

/** The stored record: the configuration without the one-shot fields (counter, token request). */
export function eimRecord(
  data: EimConfigurationData,
  counterValue: number,
  associationToken?: number,
): EimRecord {
  const { counterValue: _c, associationToken: _t, ...configuration } = data;
  return {
    configuration: toJson(EimConfigurationData, configuration),
    counterValue,
    ...(associationToken !== undefined ? { associationToken } : {}),
  };
}

/**
 * Adds one eIM. An `associationToken` component in the request asks the card to create one
 * (SGP.32 2.4a.x); its value is ignored.
 */
export function addEim(card: Card, data: EimConfigurationData): { token?: number } | { error: number } {
  if (findEim(card, data.eimId)) return { error: EimConfigurationError.associatedEimAlreadyExists };
  if (card.state.eims.length >= MAX_EIMS) return { error: EimConfigurationError.insufficientMemory };
  const error = checkEimConfiguration(card, data);
  if (error !== undefined) return { error };
  const token = data.associationToken !== undefined ? card.state.nextAssociationToken++ : undefined;
  card.state.eims.push(eimRecord(data, data.counterValue ?? 0, token));
  return token !== undefined ? { token } : {};
}

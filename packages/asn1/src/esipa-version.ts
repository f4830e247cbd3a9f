/**
 * Decoding ESipa bodies from devices that may speak SGP.32 v1.0.1 or v1.2 (the wire formats are
 * not compatible, see ../shared/asn1/README.md). The eIM should know a device's version (from
 * its EUICCInfo2.iotSpecificInfo.iotVersion or configuration) and pass it; 'auto' exists for
 * first contact and for debugging, and its rules are in docs/INTERPRETATION.md.
 */
import { Asn1DecodeError } from './errors.js';
import { decodeWithInfo, type DecodeOptions, type DecodeResult } from './schema/index.js';
import * as v12 from './sgp32/index.js';
import * as v10 from './sgp32v10/index.js';
import type { AnySchema, ValueOf } from './schema/index.js';

export type EsipaVersion = 'v1.2' | 'v1.0';

export type Versioned<V12, V10> =
  | {
      readonly version: 'v1.2';
      readonly message: V12;
      readonly result: DecodeResult<V12>;
      readonly note?: string;
    }
  | {
      readonly version: 'v1.0';
      readonly message: V10;
      readonly result: DecodeResult<V10>;
      readonly note?: string;
    };

export interface VersionedDecodeOptions extends DecodeOptions {
  /** 'auto' (default): v1.2 unless the bytes are only (or better) explained by v1.0.1. */
  version?: EsipaVersion | 'auto';
}

function attempt<S extends AnySchema>(type: S, bytes: Uint8Array, options: DecodeOptions) {
  try {
    return { ok: decodeWithInfo(type, bytes, options) } as const;
  } catch (e) {
    if (e instanceof Asn1DecodeError) return { error: e } as const;
    throw e;
  }
}

/**
 * The one silent collision: a v1.0.1 rPLMN `81 03 xx xx xx` is also a valid v1.2 stateChangeCause.
 * Every StateChangeCause fits in one octet; a three-octet INTEGER is at least 0x8000 in magnitude.
 */
function looksLikeV10Rplmn(msg: v12.EsipaMessageFromIpaToEim): boolean {
  const g = msg.getEimPackageRequest;
  return (
    g !== undefined &&
    g.rPLMN === undefined &&
    g.stateChangeCause !== undefined &&
    Math.abs(g.stateChangeCause) >= 0x8000
  );
}

function decodeVersioned<A extends AnySchema, B extends AnySchema>(
  t12: A,
  t10: B,
  bytes: Uint8Array,
  options: VersionedDecodeOptions,
  collision?: (v: ValueOf<A>) => boolean,
): Versioned<ValueOf<A>, ValueOf<B>> {
  const { version = 'auto', ...opts } = options;
  if (version === 'v1.2') {
    const result = decodeWithInfo(t12, bytes, opts);
    return { version, message: result.value, result };
  }
  if (version === 'v1.0') {
    const result = decodeWithInfo(t10, bytes, opts);
    return { version, message: result.value, result };
  }
  const a = attempt(t12, bytes, opts);
  if (a.ok && a.ok.unknownExtensions === 0) {
    if (collision?.(a.ok.value)) {
      const b = attempt(t10, bytes, opts);
      if (b.ok && b.ok.unknownExtensions === 0)
        return {
          version: 'v1.0',
          message: b.ok.value,
          result: b.ok,
          note: 'GetEimPackageRequest [1] holds 3 octets: read as a v1.0.1 rPLMN, not a v1.2 stateChangeCause',
        };
    }
    return { version: 'v1.2', message: a.ok.value, result: a.ok };
  }
  const b = attempt(t10, bytes, opts);
  if (b.ok && (!a.ok || b.ok.unknownExtensions < a.ok.unknownExtensions))
    return {
      version: 'v1.0',
      message: b.ok.value,
      result: b.ok,
      note: a.ok
        ? `v1.2 decoding left ${a.ok.unknownExtensions} unknown element(s); v1.0.1 explains more of the bytes`
        : `not valid v1.2 (${a.error!.message}); valid v1.0.1`,
    };
  if (a.ok) return { version: 'v1.2', message: a.ok.value, result: a.ok };
  throw a.error;
}

/** An IPA -> eIM body (what the eIM receives), v1.2 or v1.0.1. */
export function decodeEsipaFromIpa(
  bytes: Uint8Array,
  options: VersionedDecodeOptions = {},
): Versioned<v12.EsipaMessageFromIpaToEim, v10.EsipaMessageFromIpaToEim> {
  return decodeVersioned(
    v12.EsipaMessageFromIpaToEim,
    v10.EsipaMessageFromIpaToEim,
    bytes,
    options,
    looksLikeV10Rplmn,
  );
}

/** An eIM -> IPA body (what an IPA, e.g. the simulator, receives), v1.2 or v1.0.1. */
export function decodeEsipaFromEim(
  bytes: Uint8Array,
  options: VersionedDecodeOptions = {},
): Versioned<v12.EsipaMessageFromEimToIpa, v10.EsipaMessageFromEimToIpa> {
  return decodeVersioned(v12.EsipaMessageFromEimToIpa, v10.EsipaMessageFromEimToIpa, bytes, options);
}

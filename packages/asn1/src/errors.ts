/**
 * Typed errors. Every failure the codec can produce is one of these, so callers (the eIM's ESipa
 * handlers, the simulators, the CLI) can tell "the peer sent garbage" from "we have a bug" with one
 * `instanceof` and report the path of the offending field without parsing the message.
 */
export class Asn1Error extends Error {
  /** Dotted path from the top-level type, e.g. `EuiccPackageRequest.euiccPackageSigned.counterValue`. */
  readonly path: string;
  /** The problem without the path prefix and offset suffix. */
  readonly reason: string;

  constructor(path: string, reason: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.path = path;
    this.reason = reason;
  }
}

/** Input bytes that are not a valid DER encoding of the requested type. */
export class Asn1DecodeError extends Asn1Error {
  /** Byte offset in the input at which the problem was detected (start of the offending TLV). */
  readonly offset: number;

  constructor(path: string, reason: string, offset: number) {
    super(path, reason, `${path ? `${path}: ` : ''}${reason} at offset ${offset}`);
    this.offset = offset;
  }
}

/** A value that cannot be encoded: missing mandatory component, SIZE/range violation, wrong JS type... */
export class Asn1EncodeError extends Asn1Error {
  constructor(path: string, reason: string) {
    super(path, reason, `${path ? `${path}: ` : ''}${reason}`);
  }
}

/**
 * The SM-DP+ as the IPA reaches it for a profile download: directly over ES9+ (`Es9PlusClient`)
 * or through the eIM over ESipa (`EsipaRspServer`). Both speak the ESipa forms of the messages,
 * which SGP.32 defines so that their DER equals the ES9+ one for the non-compact alternatives.
 */
import type {
  AuthenticateClientRequestEsipa,
  AuthenticateClientResponseEsipa,
  CancelSessionRequestEsipa,
  CancelSessionResponseEsipa,
  EsipaMessageFromEimToIpa,
  EsipaMessageFromIpaToEim,
  GetBoundProfilePackageRequestEsipa,
  GetBoundProfilePackageResponseEsipa,
  InitiateAuthenticationRequestEsipa,
  InitiateAuthenticationResponseEsipa,
  ProfileInstallationResult,
} from '@esim/asn1';
import { EsipaProtocolError } from './http-transport.js';

export interface RspServer {
  initiateAuthentication(
    req: InitiateAuthenticationRequestEsipa,
  ): Promise<InitiateAuthenticationResponseEsipa>;
  authenticateClient(req: AuthenticateClientRequestEsipa): Promise<AuthenticateClientResponseEsipa>;
  getBoundProfilePackage(
    req: GetBoundProfilePackageRequestEsipa,
  ): Promise<GetBoundProfilePackageResponseEsipa>;
  cancelSession(req: CancelSessionRequestEsipa): Promise<CancelSessionResponseEsipa>;
  /** Where the installation result goes once the profile is installed (direct mode only). */
  handleNotification?(result: ProfileInstallationResult): Promise<void>;
}

/**
 * Indirect download (SGP.32 3.2.3.2): the eIM relays each call to the SM-DP+ over ES9+'. `exchange`
 * is the device's own ESipa exchange (its transport, its faults).
 */
export class EsipaRspServer implements RspServer {
  constructor(
    private readonly exchange: (
      message: EsipaMessageFromIpaToEim,
    ) => Promise<EsipaMessageFromEimToIpa | undefined>,
  ) {}

  private async call<K extends string>(message: object, answer: K): Promise<never> {
    const response = (await this.exchange(message as EsipaMessageFromIpaToEim)) as
      Record<string, unknown> | undefined;
    const value = response?.[answer];
    if (value === undefined)
      throw new EsipaProtocolError(
        `expected ${answer}, got ${Object.keys(response ?? {}).join() || 'no body'}`,
      );
    return value as never;
  }

  initiateAuthentication(req: InitiateAuthenticationRequestEsipa) {
    return this.call({ initiateAuthenticationRequestEsipa: req }, 'initiateAuthenticationResponseEsipa');
  }

  authenticateClient(req: AuthenticateClientRequestEsipa) {
    return this.call({ authenticateClientRequestEsipa: req }, 'authenticateClientResponseEsipa');
  }

  getBoundProfilePackage(req: GetBoundProfilePackageRequestEsipa) {
    return this.call({ getBoundProfilePackageRequestEsipa: req }, 'getBoundProfilePackageResponseEsipa');
  }

  cancelSession(req: CancelSessionRequestEsipa) {
    return this.call({ cancelSessionRequestEsipa: req }, 'cancelSessionResponseEsipa');
  }
}

import type {
  AuthenticateClientRequestEsipa,
  AuthenticateClientResponseEsipa,
  CancelSessionRequestEsipa,
  CancelSessionResponseEsipa,
  GetBoundProfilePackageRequestEsipa,
  GetBoundProfilePackageResponseEsipa,
  InitiateAuthenticationRequestEsipa,
  InitiateAuthenticationResponseEsipa,
  ProfileInstallationResult,
} from '@esim/asn1';

/**
 * ES9+' (SGP.32 indirect profile download): the eIM's calls to an SM-DP+ on behalf of an IPA.
 * Requests and responses are the ESipa forms; an implementation maps them to the SM-DP+'s
 * ES9+ binding (the HTTP client comes with the SM-DP+ simulator).
 */
export interface Es9PlusClient {
  initiateAuthentication(
    smdpAddress: string,
    request: InitiateAuthenticationRequestEsipa & { smdpAddress: string },
  ): Promise<InitiateAuthenticationResponseEsipa>;
  authenticateClient(
    smdpAddress: string,
    request: AuthenticateClientRequestEsipa,
  ): Promise<AuthenticateClientResponseEsipa>;
  getBoundProfilePackage(
    smdpAddress: string,
    request: GetBoundProfilePackageRequestEsipa,
  ): Promise<GetBoundProfilePackageResponseEsipa>;
  cancelSession(smdpAddress: string, request: CancelSessionRequestEsipa): Promise<CancelSessionResponseEsipa>;
  /** ES9+.HandleNotification: the eUICC's installation result, to the SM-DP+ that bound the profile. */
  handleNotification(smdpAddress: string, result: ProfileInstallationResult): Promise<void>;
}

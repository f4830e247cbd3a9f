/** The two v1.0.1 ESipa message unions (alternatives as in v1.2, some with v1.0.1 types). */
import { choice, tag, type ValueOf } from '../schema/index.js';
import { sgp32v10 } from './module.js';
import {
  AuthenticateClientRequestEsipa,
  AuthenticateClientResponseEsipa,
  CancelSessionRequestEsipa,
  CancelSessionResponseEsipa,
  GetBoundProfilePackageRequestEsipa,
  GetBoundProfilePackageResponseEsipa,
  InitiateAuthenticationRequestEsipa,
  InitiateAuthenticationResponseEsipa,
} from './reused.js';
import {
  GetEimPackageRequest,
  GetEimPackageResponse,
  HandleNotificationEsipa,
  ProvideEimPackageResult,
  ProvideEimPackageResultResponse,
  TransferEimPackageRequest,
  TransferEimPackageResponse,
} from './types.js';

export const EsipaMessageFromIpaToEim = sgp32v10(
  'EsipaMessageFromIpaToEim',
  choice({
    initiateAuthenticationRequestEsipa: tag(57, InitiateAuthenticationRequestEsipa),
    authenticateClientRequestEsipa: tag(59, AuthenticateClientRequestEsipa),
    getBoundProfilePackageRequestEsipa: tag(58, GetBoundProfilePackageRequestEsipa),
    cancelSessionRequestEsipa: tag(65, CancelSessionRequestEsipa),
    handleNotificationEsipa: tag(61, HandleNotificationEsipa),
    transferEimPackageResponse: tag(78, TransferEimPackageResponse),
    getEimPackageRequest: tag(79, GetEimPackageRequest),
    provideEimPackageResult: tag(80, ProvideEimPackageResult),
  }),
);
export type EsipaMessageFromIpaToEim = ValueOf<typeof EsipaMessageFromIpaToEim>;

export const EsipaMessageFromEimToIpa = sgp32v10(
  'EsipaMessageFromEimToIpa',
  choice({
    initiateAuthenticationResponseEsipa: tag(57, InitiateAuthenticationResponseEsipa),
    authenticateClientResponseEsipa: tag(59, AuthenticateClientResponseEsipa),
    getBoundProfilePackageResponseEsipa: tag(58, GetBoundProfilePackageResponseEsipa),
    cancelSessionResponseEsipa: tag(65, CancelSessionResponseEsipa),
    transferEimPackageRequest: tag(78, TransferEimPackageRequest),
    getEimPackageResponse: tag(79, GetEimPackageResponse),
    provideEimPackageResultResponse: tag(80, ProvideEimPackageResultResponse),
  }),
);
export type EsipaMessageFromEimToIpa = ValueOf<typeof EsipaMessageFromEimToIpa>;

import type { EimConfigurationData } from '@esim/asn1';

export interface EimIdentity {
  eimId: string;
  eimFqdn?: string;
  /** DER certificate of the eIM's signing key. */
  certificate: Uint8Array;
}

/**
 * The EimConfigurationData a device needs to trust this eIM (AddInitialEim at onboarding, or
 * addEim sent by another eIM): our eimId, FQDN, signing certificate, the counter to start from
 * and the protocol the IPA uses to reach us (HTTPS retrieval: the IPA polls).
 */
export function eimConfigurationData(id: EimIdentity, counterValue = 0): EimConfigurationData {
  return {
    eimId: id.eimId,
    ...(id.eimFqdn ? { eimFqdn: id.eimFqdn } : {}),
    counterValue,
    eimPublicKeyData: { eimCertificate: id.certificate },
    eimSupportedProtocol: ['eimRetrieveHttps'],
  };
}

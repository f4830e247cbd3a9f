/** EUICCInfo1 and the SGP.32 EUICCInfo2 of the simulated card. */
import type { EUICCInfo1, EUICCInfo2 } from '@esim/asn1';

const v = (major: number, minor: number, rev: number) => new Uint8Array([major, minor, rev]);

export function euiccInfo1(ciPkId: Uint8Array): EUICCInfo1 {
  return { svn: v(2, 5, 0), euiccCiPKIdListForVerification: [ciPkId], euiccCiPKIdListForSigning: [ciPkId] };
}

export function euiccInfo2(ciPkId: Uint8Array, installedProfiles: number): EUICCInfo2 {
  return {
    profileVersion: v(2, 3, 1),
    svn: v(2, 5, 0),
    euiccFirmwareVer: v(1, 0, 0),
    // ExtendedCardResource (SGP.22 4.3): installed applications, free NVM, free RAM.
    extCardResource: new Uint8Array([
      0x81,
      0x01,
      installedProfiles,
      0x82,
      0x03,
      0x01,
      0x00,
      0x00,
      0x83,
      0x02,
      0x10,
      0x00,
    ]),
    uiccCapability: ['usimSupport', 'isimSupport', 'akaMilenage', 'javacard', 'getIdentity', 'iotminimal'],
    rspCapability: ['additionalProfile'],
    euiccCiPKIdListForVerification: [ciPkId],
    euiccCiPKIdListForSigning: [ciPkId],
    euiccCategory: 1,
    ppVersion: v(1, 0, 0),
    sasAcreditationNumber: 'SIM-SAS-SIMULATED-0001',
    ipaMode: 0,
    iotSpecificInfo: { iotVersion: [v(1, 2, 0)], fallbackSupported: null },
  };
}

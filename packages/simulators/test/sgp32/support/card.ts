/** The card most unit tests use: the SGP.26 test eUICC with its factory profiles, onboarded. */
import { Euicc } from '../../../src/sgp32/euicc/euicc.js';
import { factoryProfiles } from '../../../src/sgp32/euicc/profiles.js';
import { initialEuiccState } from '../../../src/sgp32/euicc/state.js';
import { loadSgp26Credentials } from '../../../src/sgp32/pki/sgp26.js';
import { configurationOf, type TestEim } from './test-eim.js';

export const credentials = loadSgp26Credentials();
/** ICCIDs of device 0: P1 enabled, P2 the bootstrap profile with the fallback attribute, P3 disabled. */
export const [P1, P2, P3] = factoryProfiles(0).map((p) => p.iccid) as [string, string, string];

/** A fresh card with `eim` added by AddInitialEim, an association token requested. */
export function onboardedCard(eim: TestEim): { euicc: Euicc; token: number } {
  const euicc = new Euicc(credentials, initialEuiccState(credentials.eid, factoryProfiles(0)));
  const onboarding = euicc.addInitialEim({
    eimConfigurationDataList: [configurationOf(eim, { associationToken: 0 })],
  });
  return { euicc, token: onboarding.addInitialEimOk![0]!.associationToken! };
}

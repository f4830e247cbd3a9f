/**
 * The profiles a simulated device leaves the factory with: an operational profile enabled, a
 * bootstrap (provisioning) profile holding the fallback attribute, and on every other device a
 * second operational profile, disabled. ICCIDs are derived from the device index, Luhn-checked.
 */
import { iccidWithCheckDigit } from '../pki/iccid.js';
import type { ProfileRecord } from './state.js';

const ISDP_AID_PREFIX = 'A0000005591010FFFFFFFF89000010';

function profile(device: number, slot: number, fields: Partial<ProfileRecord>): ProfileRecord {
  // 89 (telecom) 49 (country) 999 (issuer) + 10-digit device + 2-digit slot = 19 digits.
  const iccid = iccidWithCheckDigit(
    `8949999${String(device).padStart(10, '0')}${String(slot).padStart(2, '0')}`,
  );
  return {
    iccid,
    isdpAid: `${ISDP_AID_PREFIX}${String(slot).padStart(2, '0')}`,
    state: 'disabled',
    fallbackAttribute: false,
    fallbackAllowed: true,
    profileName: `Simulated profile ${slot}`,
    serviceProviderName: 'Simulated MNO',
    profileClass: 'operational',
    notificationAddress: 'smdp.sim.example',
    ...fields,
  };
}

export function factoryProfiles(device: number): ProfileRecord[] {
  const profiles = [
    profile(device, 1, { state: 'enabled', serviceProviderName: 'Simulated MNO A' }),
    profile(device, 2, {
      profileClass: 'provisioning',
      fallbackAttribute: true,
      profileName: 'Bootstrap',
      serviceProviderName: 'Simulated Bootstrap',
    }),
  ];
  if (device % 2 === 0) profiles.push(profile(device, 3, { serviceProviderName: 'Simulated MNO B' }));
  return profiles;
}

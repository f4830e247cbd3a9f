/**
 * The IMEI of a simulated device: the simulator's TAC, a serial taken from the EID, and the Luhn
 * check digit (3GPP TS 23.003 6.2.1), so that every device of a fleet has its own.
 */
import { luhnCheckDigit } from './iccid.js';

/** Type Allocation Code of the simulated devices (8 digits). */
export const SIMULATOR_TAC = '35290611';

export function imeiOf(eid: string): string {
  // The EID's last six digits before its two check digits: the device index for generated fleets.
  const body = SIMULATOR_TAC + eid.slice(24, 30);
  return body + luhnCheckDigit(body);
}

/** TBCD as DeviceInfo.imei carries it: digits in swapped nibbles, padded with F to 8 octets. */
export function imeiToBytes(imei: string): Uint8Array {
  const padded = imei.padEnd(16, 'F');
  return Uint8Array.from({ length: 8 }, (_, i) => parseInt(padded[2 * i + 1]! + padded[2 * i]!, 16));
}

/** The TAC as DeviceInfo.tac carries it: 4 octets, BCD in reading order. */
export function tacBytes(imei: string): Uint8Array {
  return new Uint8Array(Buffer.from(imei.slice(0, 8), 'hex'));
}

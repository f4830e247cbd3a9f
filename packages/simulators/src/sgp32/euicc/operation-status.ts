import type { EuiccResultData } from '@esim/asn1';

/** EuiccResultData.processingTerminated: an operation or package of a later version of the module. */
export const UNKNOWN_OR_DAMAGED_COMMAND = 2;

/**
 * Whether one PSMO/eCO result is a failure, which ends the package: SGP.32 stops processing a
 * package at the first failed operation (the later ones get no result).
 */
export function operationFailed(result: EuiccResultData): boolean {
  if (result.listProfileInfoResult) return result.listProfileInfoResult.profileInfoListError !== undefined;
  if (result.getRATResult) return false;
  if (result.setDefaultDpAddressResult)
    return result.setDefaultDpAddressResult.setDefaultDpAddressResult !== 0;
  if (result.addEimResult) return (result.addEimResult.addEimResultCode ?? 0) !== 0;
  if (result.listEimResult) return result.listEimResult.listEimError !== undefined;
  // lastEimDeleted reports a deletion that happened.
  if (result.deleteEimResult !== undefined)
    return result.deleteEimResult !== 0 && result.deleteEimResult !== 2;
  const [, code] = Object.entries(result)[0] ?? [];
  return code !== 0;
}

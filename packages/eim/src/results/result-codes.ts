import type { EuiccResultData } from '@esim/asn1';

export interface ResultVerdict {
  ok: boolean;
  /** e.g. "enableResult=2", for the operation's error. */
  code: string;
}

const plain = new Set([
  'enableResult',
  'disableResult',
  'deleteResult',
  'configureImmediateEnableResult',
  'deleteEimResult',
  'updateEimResult',
  'rollbackResult',
  'setFallbackAttributeResult',
  'unsetFallbackAttributeResult',
]);

/** Whether one EuiccResultData says the PSMO / eCO was done (SGP.32 5.9.x: 0 is ok, data results are ok). */
export function verdictOf(r: EuiccResultData): ResultVerdict {
  const [key, value] = Object.entries(r)[0] as [string, unknown];
  if (plain.has(key)) return { ok: value === 0, code: `${key}=${String(value)}` };
  switch (key) {
    case 'listProfileInfoResult':
      return { ok: 'profileInfoListOk' in (value as object), code: key };
    case 'getRATResult':
      return { ok: true, code: key };
    case 'addEimResult': {
      const v = value as { associationToken?: number; addEimResultCode?: number };
      return {
        ok: v.associationToken !== undefined || v.addEimResultCode === 0,
        code: `${key}=${v.addEimResultCode ?? 'token'}`,
      };
    }
    case 'listEimResult':
      return { ok: 'eimIdList' in (value as object), code: key };
    case 'setDefaultDpAddressResult': {
      const v = (value as { setDefaultDpAddressResult: number }).setDefaultDpAddressResult;
      return { ok: v === 0, code: `${key}=${v}` };
    }
    case 'processingTerminated':
      return { ok: false, code: `${key}=${String(value)}` };
    default:
      return { ok: false, code: `unknown result ${key}` };
  }
}

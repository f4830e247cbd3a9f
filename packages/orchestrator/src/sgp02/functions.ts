/**
 * The message exchange pattern of the SGP.02 functions: synchronous functions are answered in the
 * HTTP response, asynchronous ones with 202 and a later callback to ReplyTo (../shared/SGP02.md
 * section 1; the v4 additions are our reading, docs/INTERPRETATION.md).
 */
export type EsInterface = 'ES2' | 'ES4';

/** Answered in the HTTP response; every other function is asynchronous. */
const syncFunctions = new Set(['GetEIS', 'UpdatePolicyRules', 'UpdateSubscriptionAddress']);

export type Mep = 'sync' | 'async';

export function mepOf(fn: string): Mep {
  return syncFunctions.has(fn) ? 'sync' : 'async';
}

/** One Action group for every function (docs/INTERPRETATION.md): receivers dispatch on the Body. */
export function actionOf(iface: EsInterface, element: string, callback = false): string {
  return `http://gsma.com/${iface}/ProfileManagement${callback ? 'CallBack' : ''}/${element}`;
}

/** `ES4-EnableProfileResponse` -> { iface: 'ES4', name: 'EnableProfile', kind: 'Response' }. */
export function parseElementName(
  element: string,
): { iface: string; name: string; kind: 'Request' | 'Response' | 'Notification' } | undefined {
  const m = /^(ES\d+)-(.+?)(Request|Response|Notification)$/i.exec(element);
  if (!m) return undefined;
  const kind = m[3]!.toLowerCase();
  return {
    iface: m[1]!.toUpperCase(),
    name: m[2]!,
    kind: kind === 'request' ? 'Request' : kind === 'response' ? 'Response' : 'Notification',
  };
}

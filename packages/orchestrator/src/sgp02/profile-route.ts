/**
 * How the profiles of an SM-SR's eUICCs are managed, from `metadata.profileManagementRoute` of the
 * SM-SR's `platforms` row: `ES4` (the default) to the SM-SR, as an operator with ES4 access does;
 * `ES2` through the profile's SM-DP, which relays over ES3, as an MNO does that reaches the SM-SR
 * only through its SM-DP (docs/INTERPRETATION.md). Functions with no ES2 counterpart (the
 * attribute functions, SM-SR change) stay on ES4.
 */
export type ProfileRoute = 'ES4' | 'ES2';

export function profileRoute(metadata: unknown): { route: ProfileRoute } | { problem: string } {
  const route = ((metadata ?? {}) as Record<string, unknown>).profileManagementRoute ?? 'ES4';
  if (route === 'ES4' || route === 'ES2') return { route };
  return { problem: `profileManagementRoute ${JSON.stringify(route)} is not ES4 or ES2` };
}

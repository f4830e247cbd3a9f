/**
 * How we authenticate to an SM-SR or SM-DP, from `platforms.auth`, which holds no secret: HTTP
 * Basic names the environment variable that holds the password (`{"scheme": "basic", "username":
 * "...", "passwordEnv": "SMSR1_PASSWORD"}`). `{}` or `{"scheme": "none"}` sends no credentials
 * (mutual TLS, where a peer requires it, is set up beneath, not here).
 */
export type PlatformAuth = { authorization?: string } | { problem: string };

export function platformAuth(auth: unknown, env: NodeJS.ProcessEnv = process.env): PlatformAuth {
  const a = (auth ?? {}) as Record<string, unknown>;
  const scheme = a.scheme ?? 'none';
  if (scheme === 'none') return {};
  if (scheme !== 'basic')
    return { problem: `authentication scheme ${String(scheme)} is not supported (basic, none)` };
  if (typeof a.username !== 'string' || typeof a.passwordEnv !== 'string')
    return { problem: 'basic authentication needs "username" and "passwordEnv"' };
  const password = env[a.passwordEnv];
  if (password === undefined)
    return { problem: `the environment variable ${a.passwordEnv} (the password) is not set` };
  return { authorization: `Basic ${Buffer.from(`${a.username}:${password}`).toString('base64')}` };
}

/**
 * Delay before retry `attempt` + 1: doubles from `baseMs` up to `maxMs`, plus up to 10% of jitter
 * so that operations that failed together (a stack that was down) do not all come back together.
 */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const delay = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(delay * (1 + random() * 0.1));
}

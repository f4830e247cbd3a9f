import { describe, expect, it } from 'vitest';
import { Limiter } from '../../src/sgp32/ipa/limiter.js';

describe('Limiter', () => {
  it('runs at most `limit` tasks at once, all of them eventually, errors passed through', async () => {
    const limiter = new Limiter(2);
    let running = 0;
    let most = 0;
    const task = (i: number) => async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      if (i === 3) throw new Error('task 3 failed');
      return i;
    };
    const outcomes = await Promise.allSettled([0, 1, 2, 3, 4, 5].map((i) => limiter.run(task(i))));
    expect(most).toBe(2);
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : (o.reason as Error).message))).toEqual([
      0,
      1,
      2,
      'task 3 failed',
      4,
      5,
    ]);
  });

  it('refuses a limit that is not a positive integer', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => new Limiter(bad)).toThrow(RangeError);
  });
});

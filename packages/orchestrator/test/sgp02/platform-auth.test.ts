import { describe, expect, it } from 'vitest';
import { platformAuth } from '../../src/sgp02/platform-auth.js';

describe('platform authentication from platforms.auth', () => {
  it('sends nothing without a scheme or with none', () => {
    expect(platformAuth({})).toEqual({});
    expect(platformAuth(null)).toEqual({});
    expect(platformAuth({ scheme: 'none' })).toEqual({});
  });

  it('builds HTTP Basic from a user name and a password held in the environment', () => {
    expect(platformAuth({ scheme: 'basic', username: 'u', passwordEnv: 'P' }, { P: 'p:w' })).toEqual({
      authorization: `Basic ${Buffer.from('u:p:w').toString('base64')}`,
    });
  });

  it.each([
    [{ scheme: 'oauth' }, /scheme oauth is not supported/],
    [{ scheme: 'basic', username: 'u' }, /needs "username" and "passwordEnv"/],
    [{ scheme: 'basic', username: 'u', passwordEnv: 'MISSING' }, /MISSING .* is not set/],
  ])('names the problem of %j', (auth, problem) => {
    const r = platformAuth(auth, {});
    expect('problem' in r && r.problem).toMatch(problem);
  });
});

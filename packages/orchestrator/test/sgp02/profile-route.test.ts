import { describe, expect, it } from 'vitest';
import { profileRoute } from '../../src/sgp02/profile-route.js';

describe('profile management route from platforms.metadata', () => {
  it('is ES4 unless the SM-SR says ES2', () => {
    expect(profileRoute({})).toEqual({ route: 'ES4' });
    expect(profileRoute(null)).toEqual({ route: 'ES4' });
    expect(profileRoute({ other: 1 })).toEqual({ route: 'ES4' });
    expect(profileRoute({ profileManagementRoute: 'ES2' })).toEqual({ route: 'ES2' });
    expect(profileRoute({ profileManagementRoute: 'ES4' })).toEqual({ route: 'ES4' });
  });

  it.each(['es2', 'ES3', 2, true])('names a value it cannot use: %s', (value) => {
    const r = profileRoute({ profileManagementRoute: value });
    expect(r).toEqual({ problem: `profileManagementRoute ${JSON.stringify(value)} is not ES4 or ES2` });
  });
});

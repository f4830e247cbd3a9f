import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { openTestDatabase, testDatabaseKind } from '../support/database.js';
import { openTestApi, type TestApi } from '../support/api.js';

interface Operation {
  parameters?: { in: string; name: string; schema: { format?: string; type?: string } }[];
  requestBody?: { content: Record<string, unknown> };
}

/**
 * Walks every route of the generated OpenAPI document, so a route added later is covered
 * without touching this file: no token -> 401, a viewer writing -> 403, schema violations -> 400,
 * and nothing in the database changes.
 */
describe(`every API route on ${testDatabaseKind()}`, () => {
  let db: Database;
  let api: TestApi;
  let routes: { method: string; path: string; op: Operation }[];
  const audit = async () => Number((await db.knex('audit_log').count<{ c: string }[]>('* as c'))[0]!.c);
  const url = (path: string, op: Operation) =>
    path.replace(/\{(\w+)\}/g, (_m, name: string) => {
      const p = op.parameters?.find((x) => x.in === 'path' && x.name === name);
      return p?.schema.type === 'integer' ? '1' : '00000000-0000-4000-8000-000000000000';
    });

  beforeAll(async () => {
    db = await openTestDatabase({ migrated: true });
    api = await openTestApi(db);
    const doc = (await api.app.inject('/api/v1/openapi.json')).json() as {
      paths: Record<string, Record<string, Operation>>;
    };
    routes = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/v1/'))
      .flatMap(([path, ops]) =>
        Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
      );
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('covers the whole API', () => {
    expect(routes.length).toBeGreaterThan(35);
    for (const p of [
      '/api/v1/devices',
      '/api/v1/operations',
      '/api/v1/events',
      '/api/v1/rules',
      '/api/v1/webhooks',
      '/api/v1/inventory/import',
    ])
      expect(routes.map((r) => r.path)).toContain(p);
  });

  it('refuses a call without a token on every route', async () => {
    for (const r of routes) {
      const res = await api.app.inject({ method: r.method as 'GET', url: url(r.path, r.op) });
      expect({ route: `${r.method} ${r.path}`, status: res.statusCode }).toEqual({
        route: `${r.method} ${r.path}`,
        status: 401,
      });
    }
  });

  it('lets a viewer read but not write, on every route', async () => {
    const before = await audit();
    for (const r of routes.filter((x) => x.method !== 'GET' && !x.path.endsWith('/dry-run'))) {
      const res = await api.call({
        role: 'viewer',
        method: r.method as 'POST',
        url: url(r.path, r.op),
        payload: {},
      });
      expect({ route: `${r.method} ${r.path}`, status: res.statusCode }).toEqual({
        route: `${r.method} ${r.path}`,
        status: 403,
      });
    }
    expect(await audit()).toBe(before);
  });

  it('answers schema violations with 400 on every route that takes input', async () => {
    const before = await audit();
    for (const r of routes) {
      const route = `${r.method} ${r.path}`;
      const path = r.op.parameters?.find((p) => p.in === 'path');
      if (path) {
        const bad = r.path.replace(`{${path.name}}`, path.schema.type === 'integer' ? 'x' : 'not%20an%20id!');
        const res = await api.call({
          method: r.method as 'GET',
          url: bad,
          payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {},
        });
        expect({ route, bad: 'path', status: res.statusCode }).toEqual({ route, bad: 'path', status: 400 });
      }
      if (r.op.parameters?.some((p) => p.in === 'query')) {
        const res = await api.call({
          method: r.method as 'GET',
          url: `${url(r.path, r.op)}?no_such_filter=1`,
        });
        expect({ route, bad: 'query', status: res.statusCode }).toEqual({ route, bad: 'query', status: 400 });
      }
      if (r.op.requestBody?.content['application/json']) {
        const res = await api.call({
          method: r.method as 'POST',
          url: url(r.path, r.op),
          payload: [1, 2] as unknown as object,
        });
        expect({ route, bad: 'body', status: res.statusCode }).toEqual({ route, bad: 'body', status: 400 });
      }
    }
    expect(await audit()).toBe(before);
  });

  it('serves the OpenAPI UI', async () => {
    const res = await api.app.inject('/api/v1/docs/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardPlugin } from '../../src/dashboard/dashboard-plugin.js';
import type { Database } from '../../src/db/database.js';
import { openTestDatabase, testDatabaseKind } from '../support/database.js';
import { openTestApi, type TestApi } from '../support/api.js';

const root = resolve(import.meta.dirname, '../../dashboard');
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [relative(root, join(dir, e.name))],
  );
const scripts = files(root).filter((f) => f.endsWith('.js'));
const source = (f: string) => readFileSync(join(root, f), 'utf8');

/** `/devices/${id}/view?x=1` -> `/devices/{}/view`, and `/devices/{id}/view` likewise. */
const shape = (path: string) => path.split('?')[0]!.replace(/\$\{[^}]+\}|\{[^}]+\}/g, '{}');

describe(`dashboard on ${testDatabaseKind()}`, () => {
  let db: Database;
  let api: TestApi;

  beforeAll(async () => {
    db = await openTestDatabase({ migrated: true });
    api = await openTestApi(db, { beforeReady: (app) => app.register(dashboardPlugin) });
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('serves the page, every module it imports and the browser builds of its libraries', async () => {
    expect((await api.app.inject('/')).headers.location).toBe('/ui/');
    const page = await api.app.inject('/ui/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const importMap = JSON.parse(page.body.match(/<script type="importmap">([\s\S]*?)<\/script>/)![1]!);
    const bare = Object.values(importMap.imports as Record<string, string>);
    const relativeImports = scripts.flatMap((f) =>
      [...source(f).matchAll(/from '(\.{1,2}\/[^']+)'/g)].map((m) =>
        relative(root, resolve(root, f, '..', m[1]!)),
      ),
    );
    for (const file of [
      ...bare.map((b) => b.replace(/^\.\//, '')),
      ...relativeImports,
      'app.js',
      'style.css',
    ]) {
      const res = await api.app.inject(`/ui/${file}`);
      expect({ file, status: res.statusCode }).toEqual({ file, status: 200 });
      if (file.endsWith('js')) expect(res.headers['content-type'], file).toMatch(/javascript/);
    }
    expect((await api.app.inject('/ui/vendor/react.mjs')).statusCode).toBe(404);
    // The libraries' browser builds import nothing but each other through the import map.
    for (const b of bare) {
      const body = (await api.app.inject(`/ui/${b.replace(/^\.\//, '')}`)).body;
      for (const [, spec] of body.matchAll(/from\s*["']([^"']+)["']/g))
        expect(Object.keys(importMap.imports)).toContain(spec);
    }
  });

  it('calls only API routes that exist, with their methods', async () => {
    const doc = (await api.app.inject('/api/v1/openapi.json')).json() as { paths: Record<string, object> };
    const routes = new Set(
      Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${shape(path.replace(/^\/api\/v1/, ''))}`),
      ),
    );
    const calls = scripts.flatMap((f) => [
      ...[...source(f).matchAll(/useApi\(\s*[`'](\/[^`']*)[`']/g)].map((m) => `GET ${shape(m[1]!)}`),
      ...[...source(f).matchAll(/call\('(GET|POST)',\s*[`'](\/[^`']*)[`']/g)].map(
        (m) => `${m[1]} ${shape(m[2]!)}`,
      ),
    ]);
    expect(calls.length).toBeGreaterThan(10);
    // A computed segment of the dashboard (`${move}`) may stand for a literal one of the API.
    const matches = (call: string, route: string) => {
      const [a, b] = [call.split(/[ /]/), route.split(/[ /]/)];
      return a.length === b.length && a.every((seg, i) => seg === b[i] || (seg === '{}' && i > 0));
    };
    for (const c of calls)
      expect(
        [...routes].filter((r) => matches(c, r)),
        c,
      ).not.toEqual([]);
  });
});

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

const require = createRequire(import.meta.url);
/** A package's browser build, found next to the file `require` resolves to. */
const besideEntry = (specifier: string, file: string) => join(dirname(require.resolve(specifier)), file);

/** The browser modules the dashboard imports (its import map names them), from their npm packages. */
const vendor: Record<string, string> = {
  'preact.mjs': besideEntry('preact', 'preact.module.js'),
  'preact-hooks.mjs': besideEntry('preact/hooks', 'hooks.module.js'),
  'htm.mjs': besideEntry('htm', 'htm.module.js'),
};

/** The same folder from the sources and from the build: packages/orchestrator/dashboard. */
const dashboardDir = resolve(import.meta.dirname, '../../dashboard');

/**
 * The dashboard at /ui/: static files, no build step (Preact + htm as browser modules). The files
 * are public; everything they show comes from /api/v1 with the token the user gives.
 */
export async function dashboardPlugin(app: FastifyInstance) {
  const modules = Object.fromEntries(
    Object.entries(vendor).map(([name, file]) => [name, readFileSync(file)]),
  );
  await app.register(fastifyStatic, { root: dashboardDir, prefix: '/ui/', index: 'index.html' });
  app.get('/ui/vendor/:module', { schema: { hide: true } }, async (request, reply) => {
    const body = modules[(request.params as { module: string }).module];
    if (!body) return reply.status(404).send({ error: 'not_found', message: 'no such module' });
    return reply.type('text/javascript; charset=utf-8').header('cache-control', 'max-age=3600').send(body);
  });
  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/ui/'));
}

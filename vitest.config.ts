import { defineConfig } from 'vitest/config';

// Every test file that touches a database is named *.db.test.ts (or lives in test/e2e/, the
// end-to-end tests) and runs once per database kind: the matrix is two projects over the
// same files, never a copy of a test. ESIM_TEST_DATABASES=pglite narrows it on a machine
// without PostgreSQL; CI runs both.
const dbFiles = ['packages/*/test/**/*.db.test.ts', 'test/e2e/**/*.test.ts'];
const kinds = (process.env.ESIM_TEST_DATABASES ?? 'pglite,postgres').split(',').map((s) => s.trim());

export default defineConfig({
  // Workspace packages resolve to their TypeScript sources (the "source" export condition),
  // so tests never run against a stale build.
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['packages/*/test/**/*.test.ts', 'test/*.test.ts'], exclude: dbFiles },
      },
      ...kinds.map((kind) => ({
        extends: true as const,
        test: { name: kind, include: dbFiles, env: { ESIM_TEST_DB: kind } },
      })),
    ],
  },
});

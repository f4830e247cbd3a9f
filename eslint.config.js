import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// The dependency direction of DESIGN.md section 2 (orchestrator -> eim -> asn1, simulators -> asn1)
// is enforced here as well as by test/architecture.test.ts.
const forbid = (...packages) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: packages.map((p) => ({
        group: [p, `${p}/*`],
        message:
          'Dependencies point one way: orchestrator -> eim -> asn1, simulators -> asn1 (DESIGN.md section 2).',
      })),
    },
  ],
});

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  // The dashboard runs in the browser.
  { files: ['packages/orchestrator/dashboard/**'], languageOptions: { globals: { ...globals.browser } } },
  { files: ['packages/asn1/**'], rules: forbid('@esim/eim', '@esim/orchestrator', '@esim/simulators') },
  { files: ['packages/eim/**'], rules: forbid('@esim/orchestrator', '@esim/simulators') },
  { files: ['packages/simulators/**'], rules: forbid('@esim/eim', '@esim/orchestrator') },
  { files: ['packages/orchestrator/**'], rules: forbid('@esim/simulators') },
);

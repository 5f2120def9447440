// Lint that catches what hurts here (STYLE.md §9): floating promises, non-exhaustive switches,
// type-only imports kept type-only, import cycles, and Node built-ins inside deterministic workflows.
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', '.tools/**', 'coverage/**', 'libs/devstack/bin/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [importX.createNodeResolver()] },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      'import-x/no-cycle': 'error',
    },
  },
  // Boundaries. The rules are pure: libs/domain imports nothing but itself, so API, console and
  // workflow can all call it.
  {
    files: ['libs/domain/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\.{1,2}/)',
              message: 'libs/domain is pure rules: no framework, no I/O, no other package.',
            },
          ],
        },
      ],
    },
  },
  // Workflows must be deterministic: they (and the contracts they share with the API) import only
  // the workflow SDK, the rules and the contracts; I/O belongs in an activity.
  {
    files: ['workflows/**/*.ts', 'libs/contracts/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\.{1,2}/|@temporalio/(workflow|common)$|@openccs/(contracts|domain)$)',
              message:
                'Workflows must be deterministic: only @temporalio/workflow, @temporalio/common, @openccs/domain and @openccs/contracts (no Node built-ins, no I/O; do I/O in an activity).',
            },
          ],
        },
      ],
    },
  },
  // The development stack (embedded PostgreSQL, the Temporal dev server) is for `npm start` and
  // the tests; what runs in production never depends on it.
  {
    files: [
      'apps/api/**/*.ts',
      'apps/worker/**/*.ts',
      'apps/verifier/**/*.ts',
      'activities/**/*.ts',
      'libs/**/*.ts',
    ],
    ignores: ['libs/devstack/**', 'libs/domain/**', 'libs/contracts/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^@openccs/devstack|/devstack(/|$))',
              message: 'Production code does not depend on the development stack (libs/devstack).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);

// Lint: what the compiler does not check — unused names, import order and duplicates, the rules of React's hooks, and
// the zones that keep the server, the web app and the tests apart. Formatting is Prettier's (.prettierrc.json). The
// floors inside src/library (core → aggregates → flows, no cycles) are checked by test/unit/dependencies.test.ts,
// which reads the whole import graph at once.
import js from '@eslint/js';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'third_party/**', 'drizzle/**', 'web/public/**', 'test/corpus/**', 'bench/**/.work/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    // ESM TypeScript names its imports by their built `.js`: resolve them to the sources, so the zones see them.
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensionAlias: { '.js': ['.ts', '.tsx', '.js'] } })] },
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'import-x/no-duplicates': ['error', { 'prefer-inline': true }],
      'import-x/order': ['error', { groups: ['builtin', 'external', ['internal', 'parent', 'sibling', 'index']] }],
      // Stripping control characters from names, text and CSV cells is what those expressions are for.
      'no-control-regex': 'off',
      // An error that replaces a driver's says what to do; the driver's own may carry a connection string or keys.
      'preserve-caught-error': 'off',
      // A loop's starting values written where they are declared read better than bare declarations; TypeScript checks
      // that every name is assigned before it is read.
      'no-useless-assignment': 'off',
      // Doc comments break `*/` inside a glob with a zero-width space.
      'no-irregular-whitespace': ['error', { skipComments: true }],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            { target: './src', from: ['./web', './test', './bench'], message: 'the server does not import the web app, tests or benchmarks' },
            {
              target: './web/src',
              from: './src',
              except: ['./api/contract.ts', './model'],
              message: 'the web app shares only the API contract and the shared vocabulary (src/model/) with the server',
            },
          ],
        },
      ],
    },
  },
  // TypeScript resolves names itself (and knows the DOM and Node types the files ask for).
  { files: ['**/*.{ts,tsx}'], rules: { 'no-undef': 'off' } },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  // Tests and benchmarks read loosely typed JSON answers and poke at internals.
  { files: ['test/**', 'bench/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' }, rules: { '@typescript-eslint/no-require-imports': 'off' } },
);

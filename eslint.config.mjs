// Lint: typescript-eslint's strict and stylistic type-checked rules over src/, test/ and the root
// TypeScript configs; the bench scripts and the .cjs/.mjs configs are plain JavaScript and get
// ESLint's recommended rules. Formatting is Prettier's alone: none of these presets has layout rules.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['dist/', 'drizzle/', 'bench/node_modules/', 'bench/out/', '.data/', '.test-data/']),
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.strictTypeChecked, tseslint.configs.stylisticTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // The codebase declares every object shape with `type` (no `interface` anywhere): keep it one way.
      '@typescript-eslint/consistent-type-definitions': ['error', 'type'],
      // Counts, sizes and ids are numbers and read well in messages; objects and undefined stay errors.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `(x) => f(x)` as a callback, and `return done()` to leave a void function early, are this codebase's idioms.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true, ignoreVoidReturningFunctions: true }],
      // An empty environment variable or argument means "not set": `value?.trim() || fallback` is meant.
      '@typescript-eslint/prefer-nullish-coalescing': ['error', { ignorePrimitives: { string: true } }],
      // A leading underscore marks a binding left unused on purpose (a key left out of a rest copy, a counting loop).
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true, varsIgnorePattern: '^_', argsIgnorePattern: '^_' }],
      // noUncheckedIndexedAccess types every in-bounds index as `T | undefined`; `!` states an invariant tsc cannot see.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['src/http/**/*.ts', 'src/limits/**/*.ts', 'src/metrics/**/*.ts'],
    // yoga's and envelop's hook payloads type their callbacks (endResponse, setResult, fetchAPI) as methods, but
    // they are closures meant to be destructured, as yoga's own plugins do.
    rules: { '@typescript-eslint/unbound-method': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    // Tests read the server's JSON answers by path and check them with expect(): that data is untyped by
    // nature, and a wrong path fails the test instead of hiding a bug.
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
  },
);

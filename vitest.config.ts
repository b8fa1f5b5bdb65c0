import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

// Each test file starts real servers on free ports with a database of its own (a fresh PGlite,
// or a fresh Postgres database when DATABASE_URL is set), so files run in parallel safely.
export default defineConfig({
  resolve: {
    // graphql 16 ships CJS (main) and ESM (module) copies. Node, and so every dependency, loads
    // the CJS one; vite would give our sources the ESM one, and two copies of graphql reject
    // each other's types. One copy for all, as in production.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});

// Runs once before all test files. On the embedded default, creating a PGlite data directory
// (initdb) takes seconds, so one is created and migrated here and each test database starts as
// a copy of it; the migrations still run against every copy (and find nothing left to do).
// It also builds dist/, which the tests that spawn the server run.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { createLog } from '../../src/log.js';

declare module 'vitest' {
  // Only an interface can be extended by declaration merging.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  export interface ProvidedContext {
    pgliteTemplate: string | null;
  }
}

export default async function setup(project: TestProject) {
  // Tests that start the server as a process run what `npm start` runs: the bundle in dist/.
  execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
  if (process.env.DATABASE_URL) {
    project.provide('pgliteTemplate', null);
    return;
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'social-graphql-template-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const database = await openDatabase(config, createLog('silent'));
  await migrate(database);
  await database.close();
  project.provide('pgliteTemplate', path.join(dataDir, 'pgdata'));
  return () => rm(dataDir, { recursive: true, force: true });
}

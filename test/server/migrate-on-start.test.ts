// MIGRATE_ON_START=false, for PgBouncer's transaction mode or a deploy that migrates as a step of
// its own: the server takes no lock and applies nothing, refuses a database that lacks a
// migration (naming the command that applies them), and serves one `npm run db:migrate` brought
// up to date. On the embedded database and on Postgres alike.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, test } from 'vitest';
import { postQuery, spawnServer, startServer } from '../support/child-server.js';
import { createTestDatabase, withClient, type TestDatabase } from '../support/test-database.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const journal = JSON.parse(await readFile(path.join(root, 'drizzle/meta/_journal.json'), 'utf8')) as { entries: unknown[] };

const cleanups: (() => Promise<void>)[] = [];
afterAll(() => Promise.all(cleanups.map((cleanup) => cleanup())));

/** An empty database: a fresh Postgres database, or an embedded one not yet created (no migrated template). */
async function emptyDatabase(): Promise<Record<string, string>> {
  if (process.env.DATABASE_URL) {
    const database: TestDatabase = await createTestDatabase();
    cleanups.push(() => database.drop());
    return database.env;
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'social-graphql-migrate-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  return { DATA_DIR: dataDir };
}

/** `npm run db:migrate`, as an operator runs it: its own process, on the server's configuration. */
async function runMigrate(env: Record<string, string>): Promise<void> {
  await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/scripts/migrate.ts'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'warn', ...env },
  });
}

async function refusal(env: Record<string, string>): Promise<string> {
  const server = spawnServer({ ...env, MIGRATE_ON_START: 'false' });
  // ready() rejects once the process exits without serving.
  const served = await server.ready().then(
    () => true,
    () => false,
  );
  expect(served, server.output()).toBe(false);
  expect((await server.exited).code, server.output()).toBe(1);
  return server.output();
}

test('an empty database is refused, naming npm run db:migrate; once migrated, the server serves it', { timeout: 90_000 }, async () => {
  const env = await emptyDatabase();
  const output = await refusal(env);
  expect(output).toContain(`lacks ${journal.entries.length} migration`);
  expect(output).toContain('MIGRATE_ON_START=false');
  expect(output).toContain('npm run db:migrate');
  if (env.DATABASE_URL) {
    // Nothing was applied: the server only looked.
    const tables = await withClient(env.DATABASE_URL, (client) => client.query("select to_regclass('users') as users"));
    expect(tables.rows[0].users).toBeNull();
  }

  await runMigrate(env);
  const server = await startServer({ ...env, MIGRATE_ON_START: 'false' });
  const answer = await postQuery(server.url, '{ users(first: 1) { edges { node { id } } } }');
  expect(answer.status, answer.text).toBe(200);
  expect(answer.body.errors).toBeUndefined();
  await server.stop();
});

test.skipIf(!process.env.DATABASE_URL)('a database one migration behind is refused with that count', { timeout: 60_000 }, async () => {
  const env = await emptyDatabase();
  await runMigrate(env);
  // The newest migration forgotten, as on a database the previous release migrated.
  await withClient(env.DATABASE_URL!, (client) =>
    client.query('delete from drizzle.__drizzle_migrations where created_at = (select max(created_at) from drizzle.__drizzle_migrations)'),
  );
  const output = await refusal(env);
  expect(output).toContain('lacks 1 migration and');
});

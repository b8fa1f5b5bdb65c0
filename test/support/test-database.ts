// A database of its own for each test app: a fresh PGlite directory, or, when DATABASE_URL is
// set, a fresh Postgres database created beside the one it names (dropped afterwards).
import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';

export type TestDatabase = { env: Record<string, string>; drop(): Promise<void> };

export async function createTestDatabase(): Promise<TestDatabase> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'social-graphql-test-'));
  const removeDir = () => rm(dataDir, { recursive: true, force: true });
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    // A copy of the migrated template made once by global-setup.ts: seconds faster than initdb.
    const template = inject('pgliteTemplate');
    if (template) await cp(template, path.join(dataDir, 'pgdata'), { recursive: true });
    return { env: { DATA_DIR: dataDir }, drop: removeDir };
  }

  const name = `test_${randomBytes(6).toString('hex')}`;
  await withClient(adminUrl, (admin) => admin.query(`create database ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    env: { DATA_DIR: dataDir, DATABASE_URL: url.href },
    drop: async () => {
      await withClient(adminUrl, (admin) => admin.query(`drop database if exists ${name} with (force)`));
      await removeDir();
    },
  };
}

/** One connection of its own to `url`, closed after `use`. */
export async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

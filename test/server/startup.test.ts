// What `npm start` does before it serves: refuse a bad configuration, and migrate an empty
// database once even when several instances start together.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, test } from 'vitest';
import { postQuery, spawnServer, startServer } from '../support/child-server.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

test('a bad configuration exits non-zero before listening, naming every bad variable', async () => {
  // One process for all three: the configuration is checked as a whole and reported at once.
  const dataDir = path.join(tmpdir(), `social-graphql-never-created-${process.pid}`);
  const server = spawnServer({ PORT: 'abc', DATABASE_POOL_SIZE: '0', DATABASE_URL: 'mysql://localhost/social', DATA_DIR: dataDir });
  const exit = await server.exited;
  expect(exit.code, server.output()).toBe(1);
  expect(server.output()).toContain('PORT must be a whole number from 0 to 65535 (got "abc")');
  expect(server.output()).toContain('DATABASE_POOL_SIZE must be a whole number from 1 to 1000 (got "0")');
  expect(server.output()).toContain('DATABASE_URL must start with postgres:// or postgresql://');
  expect(server.logs().some((line) => line.url)).toBe(false);
  expect(existsSync(dataDir)).toBe(false); // stopped before it opened anything
});

describe.skipIf(!process.env.DATABASE_URL)('with DATABASE_URL', () => {
  let database: TestDatabase | undefined;
  afterAll(() => database?.drop());

  test('two servers started at once on an empty database both serve; the schema is migrated once', async () => {
    database = await createTestDatabase();
    const [a, b] = await Promise.all([startServer(database.env), startServer(database.env)]);
    for (const server of [a, b]) {
      const answer = await postQuery(server.url, '{ posts { edges { node { id } } } users { edges { node { id } } } }');
      expect(answer.status, answer.text).toBe(200);
      expect(answer.body.data).toEqual({ posts: { edges: [] }, users: { edges: [] } });
    }

    const journal = JSON.parse(await readFile(new URL('../../drizzle/meta/_journal.json', import.meta.url), 'utf8'));
    const client = new pg.Client({ connectionString: database.env.DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: number }>('select count(*)::int as n from drizzle.__drizzle_migrations');
      expect(rows[0]!.n).toBe(journal.entries.length);
    } finally {
      await client.end();
    }
  });
});

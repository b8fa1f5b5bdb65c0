// The embedded database (no DATABASE_URL) belongs to one process, stops cleanly on SIGTERM, and
// its data outlives the process. One DATA_DIR through a server's whole life: first start (which
// seeds the demo graph), a second process refused, SIGTERM, restart.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { postQuery, spawnServer, startServer, withDeadline, type ChildServer } from '../support/child-server.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const SNAPSHOT = `{
  users(first: 100) { edges { node { id name } } }
  posts(first: 100) { edges { node { id title author { id } comments(first: 100) { edges { node { id body } } } } } }
}`;

// The snapshot reads whole pages three levels down: over the default cost limit and rate budget (README, "Limits").
const SNAPSHOT_LIMITS = { MAX_COST: '1000000', RATE_LIMIT_POINTS: '1000000' };

describe.skipIf(!!process.env.DATABASE_URL)('embedded database (PGlite)', () => {
  let database: TestDatabase;
  let first: ChildServer & { url: URL };
  let dataBefore: unknown;

  beforeAll(async () => {
    database = await createTestDatabase(); // a migrated, empty DATA_DIR
    first = await startServer({ DATA_DIR: database.env.DATA_DIR!, ...SNAPSHOT_LIMITS });
    const answer = await postQuery(first.url, SNAPSHOT);
    expect(answer.status, answer.text).toBe(200);
    dataBefore = answer.body.data;
    expect(answer.body.data.users.edges.length).toBeGreaterThan(0); // the demo seed, written by this server
  });
  // Unset if beforeAll failed before making it, which the declared type cannot say.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
  afterAll(() => database?.drop());

  test('a second server on the same DATA_DIR exits non-zero at once, saying the directory is in use', async () => {
    const second = spawnServer({ DATA_DIR: database.env.DATA_DIR! });
    const exit = await withDeadline(second.exited, 15_000, () => `the second server did not exit; output:\n${second.output()}`);
    expect(exit.code, second.output()).toBe(1);
    expect(second.output()).toContain(`The embedded database in ${database.env.DATA_DIR} is in use by another process.`);
    expect(second.logs().some((line) => line.url)).toBe(false);

    // and the first one never noticed
    const answer = await postQuery(first.url, SNAPSHOT);
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual(dataBefore);
  });

  test('SIGTERM stops the server promptly with exit code 0', async () => {
    const startedAt = performance.now();
    const exit = await first.stop('SIGTERM', 10_000);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(performance.now() - startedAt).toBeLessThan(8000); // well before SHUTDOWN_TIMEOUT_MS (10 s) would cut in
    expect(first.logs().at(-1)?.msg).toBe('stopped');
  });

  test('once it stopped, a new server starts on the same DATA_DIR and serves the same data', async () => {
    const again = await startServer({ DATA_DIR: database.env.DATA_DIR!, ...SNAPSHOT_LIMITS });
    const answer = await postQuery(again.url, SNAPSHOT);
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.data).toEqual(dataBefore);
    expect(again.logs().some((line) => /seeded/.test(line.msg))).toBe(false); // not seeded twice
    expect(await again.stop()).toEqual({ code: 0, signal: null });
  });
});

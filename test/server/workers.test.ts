// WORKERS > 1: one port served by several processes (Node's cluster), which only a real
// Postgres can back; a worker that dies is replaced, and SIGTERM stops them all cleanly.
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, test } from 'vitest';
import { postQuery, spawnServer, startServer, withDeadline } from '../support/child-server.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const workerPids = (primaryPid: number): number[] =>
  execFileSync('ps', ['-o', 'pid=', '--ppid', String(primaryPid)], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map(Number);

test('WORKERS > 1 on the embedded database refuses to start, saying why', async () => {
  const server = spawnServer({ WORKERS: '2', DATA_DIR: '/nonexistent-never-created' });
  expect((await server.exited).code, server.output()).toBe(1);
  expect(server.output()).toContain('WORKERS > 1 needs DATABASE_URL: the embedded database belongs to one process');
});

// Workers share subscription events and rate-limit budgets through Redis: WORKERS > 1 needs REDIS_URL too.
const redis = { REDIS_URL: process.env.REDIS_URL ?? '', REDIS_PREFIX: `test-workers-${process.pid}:` };

describe.skipIf(!process.env.DATABASE_URL || !process.env.REDIS_URL)('with DATABASE_URL and REDIS_URL', () => {
  let database: TestDatabase | undefined;
  afterAll(() => database?.drop());

  // Three rounds of process start-up (the primary; its two workers; the replacement), each loading
  // the whole bundle: on a loaded 2-CPU machine this test took 26 s, and over the default 30 s when
  // busier. Its checks are the waits below, each with a deadline that names what did not happen
  // (ready and log lines 30 s, the SIGTERM exit 15 s); this outer bound only leaves them room.
  test('two workers serve one port; a dead worker is replaced; SIGTERM stops both and exits 0', { timeout: 90_000 }, async () => {
    database = await createTestDatabase();
    const server = await startServer({ ...database.env, ...redis, WORKERS: '2' });
    await server.waitForLog((line) => line.workers === 2);
    const [first, second] = workerPids(server.pid);
    expect(second).toBeDefined();

    const ask = async () => (await postQuery(server.url, '{ posts { edges { node { id } } } }')).status;
    expect(await Promise.all(Array.from({ length: 20 }, ask))).toEqual(Array(20).fill(200));

    process.kill(first!, 'SIGKILL');
    await server.waitForLog((line) => line.msg === 'a worker died: starting another');
    await server.waitForLog((line) => typeof line.url === 'string' && server.logs().filter((l) => typeof l.url === 'string').length === 3);
    expect(workerPids(server.pid)).toHaveLength(2);
    expect(workerPids(server.pid)).not.toContain(first);
    expect(await ask()).toBe(200);

    const exit = await server.stop('SIGTERM');
    expect(exit.code, server.output()).toBe(0);
  });

  // Each worker counts its own requests; a scrape lands on either. Unless the primary adds them
  // up, the counter would read 20 on one scrape and 0 on the next.
  test('GET /metrics, whichever worker answers it, counts the requests of both', { timeout: 90_000 }, async () => {
    database ??= await createTestDatabase();
    const server = await startServer({ ...database.env, ...redis, WORKERS: '2', RESPONSE_CACHE: 'false' });
    await server.waitForLog((line) => line.workers === 2);
    const statuses = await Promise.all(
      Array.from({ length: 20 }, async () => (await postQuery(server.url, 'query Counted { posts { edges { node { id } } } }')).status),
    );
    expect(statuses).toEqual(Array(20).fill(200));
    for (let scrape = 0; scrape < 4; scrape++) {
      const text = await (await fetch(new URL('/metrics', server.url))).text();
      expect(text).toContain('graphql_operation_duration_seconds_count{operation_name="Counted",operation_type="query"} 20\n');
    }
    expect((await server.stop('SIGTERM')).code, server.output()).toBe(0);
  });

  // Two rounds of start-up (the primary, then its workers): up to 20 s on a loaded machine. The
  // exit has a deadline of its own, so a service that stays up fails saying so.
  test('a worker that cannot start stops the service with exit 1', { timeout: 60_000 }, async () => {
    const server = spawnServer({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none',
      DATABASE_CONNECT_TIMEOUT_MS: '500',
      WORKERS: '2',
      ...redis,
    });
    const exit = await withDeadline(
      server.exited,
      45_000,
      () => `the service did not exit within 45 s of a worker failing to start; output:\n${server.output()}`,
    );
    expect(exit.code, server.output()).toBe(1);
    expect(server.output()).toContain('a worker failed to start');
  });
});

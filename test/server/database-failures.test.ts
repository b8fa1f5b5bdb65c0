// What clients see while Postgres is unreachable, slow or saturated, and that the server comes
// back by itself. Postgres only: PGlite lives in the process and has no network to lose.
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { freePort, postQuery, startServer, spawnServer, type ChildServer } from '../support/child-server.js';
import { lockTable, type TableLock } from '../support/table-lock.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { startTestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const POSTS = '{ posts { edges { node { id } } } }';
/** These tests are about what reaches the database: a repeated query answered from the response cache would not. */
const UNCACHED = { RESPONSE_CACHE: 'false' };
const USERS = '{ users { edges { node { id } } } }';

/** A 503 SERVICE_UNAVAILABLE that says nothing about our internals. */
function expectUnavailable(answer: { status: number; text: string; body: any }) {
  expect(answer.status, answer.text).toBe(503);
  expect(answer.body.errors).toHaveLength(1);
  expect(answer.body.errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
  expect(answer.body.errors[0].message).toBe('The database is unavailable right now; try again shortly.');
  expect(answer.text).not.toMatch(
    /stack|select |from "|ECONN|timeout exceeded|terminated|canceling|127\.0\.0\.1|5432|\.ts:\d|node_modules/i,
  );
}

describe.skipIf(!process.env.DATABASE_URL)('with DATABASE_URL', () => {
  let database: TestDatabase;
  let databaseUrl: string;
  let lock: TableLock | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    databaseUrl = database.env.DATABASE_URL!;
  });
  afterEach(() => lock?.release()); // a failed test must not leave the table locked for the next
  // Unset if beforeAll failed before making it, which the declared type cannot say.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
  afterAll(() => database?.drop());

  describe('the network to the database fails', () => {
    let proxy: TcpProxy;
    let server: ChildServer & { url: URL };

    beforeAll(async () => {
      const target = new URL(databaseUrl);
      proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
      server = await startServer({
        ...database.env,
        ...UNCACHED,
        DATABASE_URL: proxy.urlFor(databaseUrl),
        DATABASE_STATEMENT_TIMEOUT_MS: '2000',
        DATABASE_CONNECT_TIMEOUT_MS: '1000',
      });
    });

    test('a cut connection is 503 SERVICE_UNAVAILABLE and /ready is 503; both recover without a restart', async () => {
      // Warm the pool: its idle connections are the ones the cut kills under it.
      await Promise.all([postQuery(server.url, POSTS), postQuery(server.url, USERS), postQuery(server.url, POSTS)]);
      await proxy.cut();

      for (const query of [POSTS, USERS]) expectUnavailable(await postQuery(server.url, query));
      const ready = await fetch(new URL('/ready', server.url));
      expect(ready.status).toBe(503);
      expect((await ready.json()).errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
      const health = await fetch(new URL('/health', server.url));
      expect(health.status).toBe(200); // alive, only not ready: no reason to restart it
      await health.text();

      await proxy.restore();
      const answer = await postQuery(server.url, POSTS);
      expect(answer.status, answer.text).toBe(200);
      expect(answer.body.data).toEqual({ posts: { edges: [] } });
      expect((await fetch(new URL('/ready', server.url))).status).toBe(200);
      expect(server.process.exitCode).toBeNull();
      // The lost idle connections are logged, briefly: not the pg client with its cancel key.
      const lost = server.logs().filter((line) => line.msg === 'idle database connection lost');
      expect(lost.length).toBeGreaterThan(0);
      expect(server.output()).not.toMatch(/secretKey|connectionParameters/);
    });

    test('a connection cut while its statement runs is 503, and the server stays up', async () => {
      lock = await lockTable(databaseUrl, 'posts');
      const inFlight = postQuery(server.url, POSTS);
      await lock.waiters(1);
      await proxy.cut();
      expectUnavailable(await inFlight);
      await lock.release();

      await proxy.restore();
      expect((await postQuery(server.url, POSTS)).status).toBe(200);
      expect(server.process.exitCode).toBeNull();
      expect(server.output()).not.toMatch(/uncaught|unhandled/i);
    });

    test('a database that stops answering (a partition: no reply, no reset) is 503 soon after the statement timeout, not never', async () => {
      await Promise.all([postQuery(server.url, POSTS), postQuery(server.url, USERS)]); // idle pooled connections
      proxy.freeze();
      const startedAt = performance.now();
      const answers = await Promise.all([postQuery(server.url, POSTS), postQuery(server.url, USERS), postQuery(server.url, POSTS)]);
      const elapsedMs = performance.now() - startedAt;
      for (const answer of answers) expectUnavailable(answer);
      // Bounded, not never (without the client-side timeout it waits until the test gives up).
      // Generous: the machine may be busy, and speed is the bench's business, not the tests'.
      expect(elapsedMs).toBeLessThan(10_000);

      await proxy.restore();
      expect((await postQuery(server.url, POSTS)).status).toBe(200);
      expect((await fetch(new URL('/ready', server.url))).status).toBe(200);
      expect(server.process.exitCode).toBeNull();
    });
  });

  test('a transaction whose BEGIN gets no answer is 503 and gives its connection back: on a pool of one, the next requests are served', async () => {
    const target = new URL(databaseUrl);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const server = await startServer({
      ...database.env,
      ...UNCACHED,
      DATABASE_URL: proxy.urlFor(databaseUrl),
      DATABASE_POOL_SIZE: '1',
      DATABASE_STATEMENT_TIMEOUT_MS: '1000',
      DATABASE_CONNECT_TIMEOUT_MS: '1000',
    });
    const signUp = (email: string) =>
      postQuery(
        server.url,
        `mutation { createUser(input: { email: "${email}", name: "Begin", password: "long enough password" }) { token } }`,
      );
    try {
      expect((await postQuery(server.url, POSTS)).status).toBe(200); // the pool's one connection, idle now
      proxy.freeze();
      // Signing up sends nothing before its transaction (the password is hashed first): BEGIN is
      // its first statement, and the one that times out.
      expectUnavailable(await signUp('frozen@example.com'));
      await proxy.restore();

      // Had the failed BEGIN kept its connection, the pool would have none left to hand out:
      // every request would wait DATABASE_CONNECT_TIMEOUT_MS and be 503, for good.
      for (const answer of [await postQuery(server.url, POSTS), await signUp('thawed@example.com'), await postQuery(server.url, USERS)]) {
        expect(answer.status, answer.text).toBe(200);
      }
      expect(server.process.exitCode).toBeNull();
    } finally {
      await server.stop();
      await proxy.close();
    }
  });

  test('a statement over DATABASE_STATEMENT_TIMEOUT_MS is cancelled: 503 within about a second', async () => {
    const app = await startTestApp({ env: { ...UNCACHED, DATABASE_URL: databaseUrl, DATABASE_STATEMENT_TIMEOUT_MS: '300' } });
    lock = await lockTable(databaseUrl, 'posts');
    const startedAt = performance.now();
    const answer = await app.query(POSTS);
    const elapsedMs = performance.now() - startedAt;
    await lock.release();

    expectUnavailable({ status: answer.status, text: JSON.stringify(answer.body), body: answer.body });
    expect(elapsedMs).toBeGreaterThanOrEqual(250);
    expect(elapsedMs).toBeLessThan(10_000); // cancelled, while the lock is held for as long as the test likes
    expect((await app.query(POSTS)).status).toBe(200); // the connection is fine, only the statement was cancelled
  });

  test('with every pooled connection stuck, the next request is 503 after DATABASE_CONNECT_TIMEOUT_MS instead of queueing', async () => {
    const app = await startTestApp({
      env: { ...UNCACHED, DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: '1', DATABASE_CONNECT_TIMEOUT_MS: '300' },
    });
    lock = await lockTable(databaseUrl, 'posts');
    const stuck = app.query(POSTS);
    await lock.waiters(1); // the one connection is now taken, waiting for the lock

    const startedAt = performance.now();
    const starved = await app.query(USERS); // users is not locked: only the pool is in the way
    const elapsedMs = performance.now() - startedAt;
    expectUnavailable({ status: starved.status, text: JSON.stringify(starved.body), body: starved.body });
    expect(elapsedMs).toBeLessThan(10_000); // failed, while the stuck request holds the pool until the test releases it

    await lock.release();
    const first = await stuck;
    expect(first.status).toBe(200);
    expect(first.data).toEqual({ posts: { edges: [] } });
    expect((await app.query(USERS)).status).toBe(200);
  });

  test('starting with the database unreachable exits 1 before listening, naming the database but not the password', async () => {
    const closedPort = await freePort();
    const url = new URL(databaseUrl);
    url.port = String(closedPort);
    url.password = 's3cret-password';
    const server = spawnServer({ DATABASE_URL: url.href, DATA_DIR: database.env.DATA_DIR! });
    const exit = await server.exited;
    expect(exit.code, server.output()).toBe(1);
    expect(server.output()).toContain(`the database at 127.0.0.1:${closedPort}${url.pathname} (DATABASE_URL) does not answer`);
    expect(server.output()).not.toContain('s3cret-password');
    expect(server.logs().some((line) => line.url)).toBe(false);
  });

  test('starting with a database that accepts but never answers exits 1 after DATABASE_CONNECT_TIMEOUT_MS', async () => {
    const target = new URL(databaseUrl);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    proxy.freeze();
    const server = spawnServer({
      DATABASE_URL: proxy.urlFor(databaseUrl),
      DATABASE_CONNECT_TIMEOUT_MS: '300',
      DATA_DIR: database.env.DATA_DIR!,
    });
    const exit = await server.exited;
    expect(exit.code, server.output()).toBe(1);
    expect(server.output()).toContain(`the database at 127.0.0.1:${proxy.port}${target.pathname} (DATABASE_URL) does not answer`);
    await proxy.close();
  });
});

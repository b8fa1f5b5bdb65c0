// Postgres ending the server's connections (an operator's pg_terminate_backend, a failover, a
// restart): the request on a killed connection is 503 SERVICE_UNAVAILABLE with nothing
// half-written, the process lives on, and the next requests are served without a restart
// (contract: Faults). The server runs as a child process, so that a crash shows as an exit.
import pg from 'pg';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startServer, type ChildServer } from '../support/child-server.js';
import { given } from '../support/given.js';
import { sample, scrapeUntil } from '../support/metrics.js';
import { signIn } from '../support/sign-in.js';
import { privatePostgresSupport, startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.js';
import { lockTable, type TableLock } from '../support/table-lock.js';
import { terminateBackends } from '../support/terminate-backends.js';
import { startTestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const POSTS = '{ posts(first: 5) { edges { node { id title author { name } } } } }';
const CREATE_USER = 'mutation($input: CreateUserInput!) { createUser(input: $input) { token } }';
const CREATE_POST = 'mutation($title: String!) { createPost(input: { title: $title, content: "body" }) { id } }';
const CREATE_COMMENT = 'mutation($postId: ID!, $body: String!) { createComment(input: { postId: $postId, body: $body }) { id } }';

type Server = ChildServer & { url: URL };
type Answer = { status: number; text: string; body: any };

/** POSTs one operation; throws (as fetch does) on a dropped socket or a body that is not JSON. */
async function send(
  server: Server,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<Answer> {
  try {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    return { status: response.status, text, body: JSON.parse(text) };
  } catch (error) {
    throw new Error(`no contract answer (${String(error)}); server output:\n${server.output()}`, { cause: error });
  }
}

/** A request to await later: should it fail meanwhile, that is its result, not an unhandled rejection. */
function inFlight(answer: Promise<Answer>): Promise<Answer> {
  answer.catch(() => {
    // Read when the answer is awaited.
  });
  return answer;
}

function expectServed(answer: Answer) {
  expect(answer.status, answer.text).toBe(200);
  expect(answer.body.errors, answer.text).toBeUndefined();
}

function expectUnavailable(answer: Answer) {
  expect(answer.status, answer.text).toBe(503);
  expect(answer.body.errors.map((e: any) => e.extensions.code)).toEqual(['SERVICE_UNAVAILABLE']);
}

function expectAlive(server: Server) {
  expect(server.process.exitCode, server.output()).toBeNull();
  expect(server.process.signalCode, server.output()).toBeNull();
  expect(server.output()).not.toMatch(/unhandled|uncaught/i);
}

/** Retries `read` until it is served: the database answers again, so the server must too. */
async function served(server: Server, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await send(server, POSTS);
    if (answer.status === 200) {
      expectServed(answer);
      return;
    }
    expectUnavailable(answer);
    if (Date.now() > deadline) throw new Error(`still 503 ${timeoutMs} ms after the database came back; output:\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function signUp(server: Server, email: string): Promise<Record<string, string>> {
  const answer = await send(server, CREATE_USER, { input: { email, name: 'Faulty', password: 'long enough password' } });
  expectServed(answer);
  return { authorization: `Bearer ${answer.body.data.createUser.token}` };
}

async function countRows(databaseUrl: string, statement: string, params: unknown[]): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<{ n: number }>(statement, params)).rows[0]!.n;
  } finally {
    await client.end();
  }
}

describe.skipIf(!process.env.DATABASE_URL)('with DATABASE_URL', () => {
  describe("Postgres terminates the server's connections", () => {
    let database: TestDatabase;
    let databaseUrl: string;
    let server: Server;
    let session: Record<string, string>;
    let postId: string;
    let lock: TableLock | undefined;

    beforeAll(async () => {
      database = await createTestDatabase();
      databaseUrl = database.env.DATABASE_URL!;
      // Uncached: a read answered from the response cache would say nothing of the pool.
      server = await startServer({ ...database.env, DATABASE_POOL_SIZE: '4', RATE_LIMIT_POINTS: '1000000', RESPONSE_CACHE: 'false' });
      session = await signUp(server, 'faults@example.com');
      const post = await send(server, CREATE_POST, { title: 'the post everyone comments on' }, session);
      expectServed(post);
      postId = post.body.data.createPost.id;
    });
    afterEach(() => lock?.release()); // a failed test must not leave the table locked for the next
    // Each is unset if beforeAll failed before making it, which the declared types cannot say.
    afterAll(async () => {
      /* eslint-disable @typescript-eslint/no-unnecessary-condition */
      await server?.stop();
      await database?.drop();
      /* eslint-enable @typescript-eslint/no-unnecessary-condition */
    });

    test('a write whose connection is killed inside its transaction is 503, writes nothing, and the next write succeeds', async () => {
      lock = await lockTable(databaseUrl, 'posts');
      const held = inFlight(send(server, CREATE_POST, { title: 'killed mid-transaction' }, session));
      await lock.waiters(1); // begun, its insert waiting for the lock
      expect(await terminateBackends(databaseUrl, { isWaitingForLock: true })).toBe(1);
      expectUnavailable(await held);
      await lock.release();

      expect(await countRows(databaseUrl, 'select count(*)::int as n from posts where title = $1', ['killed mid-transaction'])).toBe(0);
      expectServed(await send(server, CREATE_POST, { title: 'after the kill' }, session));
      expectAlive(server);
    });

    test('a two-statement write killed after its first statement is 503 and all of it is rolled back', async () => {
      // createComment locks the post (statement one), then inserts: the insert waits on comments.
      lock = await lockTable(databaseUrl, 'comments');
      const held = inFlight(send(server, CREATE_COMMENT, { postId, body: 'killed between statements' }, session));
      await lock.waiters(1);
      expect(await terminateBackends(databaseUrl, { isWaitingForLock: true })).toBe(1);
      expectUnavailable(await held);
      await lock.release();

      expect(await countRows(databaseUrl, 'select count(*)::int as n from comments where body = $1', ['killed between statements'])).toBe(
        0,
      );
      // The post's row lock went with the transaction: a write on it is not blocked.
      expectServed(await send(server, CREATE_COMMENT, { postId, body: 'after the kill' }, session));
      expectAlive(server);
    });

    test('a pool of plain pg clients (in-process apps, scripts) survives the same kill', async () => {
      const app = await startTestApp();
      const { headers } = await signIn(app, await given(app).user());
      const appDatabaseUrl = (app.database as { pool: pg.Pool }).pool.options.connectionString!;
      lock = await lockTable(appDatabaseUrl, 'posts');
      const held = app.query(CREATE_POST, { title: 'killed in process' }, { headers });
      await lock.waiters(1);
      expect(await terminateBackends(appDatabaseUrl, { isWaitingForLock: true })).toBe(1);
      const answer = await held;
      expect(answer.status).toBe(503);
      expect(answer.errors?.map((e) => e.extensions.code)).toEqual(['SERVICE_UNAVAILABLE']);
      await lock.release();
      expect((await app.query(CREATE_POST, { title: 'after the kill' }, { headers })).status).toBe(200);
    });

    test('idle pooled connections killed: the next requests are served, and each loss is logged', async () => {
      await Promise.all([send(server, POSTS), send(server, POSTS), send(server, POSTS), send(server, POSTS)]);
      const lostBefore = server.logs().filter((line) => line.msg === 'idle database connection lost').length;
      const killed = await terminateBackends(databaseUrl, { state: 'idle' });
      expect(killed).toBeGreaterThan(0);
      // Terminated backends have exited, so their FATAL is on its way: wait for the pool to drop them.
      await server.waitForLog(
        () => server.logs().filter((line) => line.msg === 'idle database connection lost').length >= lostBefore + killed,
        5_000,
      );

      const answers = await Promise.all([
        send(server, POSTS),
        send(server, CREATE_POST, { title: 'after idle kills' }, session),
        send(server, POSTS),
      ]);
      answers.forEach(expectServed);
      expectAlive(server);
    });

    test('killing connections again and again under reads and writes: every answer is 200 or 503, every write all or nothing, and the server recovers', async () => {
      const runForMs = 3_000;
      const deadline = Date.now() + runForMs;
      const attempts: { kind: 'post' | 'comment'; text: string; answer: Answer }[] = [];
      const reads: Answer[] = [];
      const failures: unknown[] = [];
      let serial = 0;

      const client = async (n: number) => {
        for (let i = 0; Date.now() < deadline; i++) {
          const text = `load ${n}.${i} #${serial++}`;
          try {
            if (i % 3 === 0) reads.push(await send(server, POSTS));
            else if ((i + n) % 2 === 0)
              attempts.push({ kind: 'post', text, answer: await send(server, CREATE_POST, { title: text }, session) });
            else attempts.push({ kind: 'comment', text, answer: await send(server, CREATE_COMMENT, { postId, body: text }, session) });
          } catch (error) {
            failures.push(error); // a dropped socket, a body that is not JSON: not a contract answer
          }
        }
      };
      const terminator = async () => {
        let killed = 0;
        for (let round = 0; round < 40 && Date.now() < deadline; round++) {
          killed += await terminateBackends(databaseUrl);
          await new Promise((resolve) => setTimeout(resolve, 75));
        }
        return killed;
      };
      const [killed] = await Promise.all([terminator(), client(0), client(1), client(2)]);

      expect(failures).toEqual([]);
      expect(killed).toBeGreaterThan(0);
      expectAlive(server);
      for (const answer of [...reads, ...attempts.map((a) => a.answer)]) {
        if (answer.status === 503) expectUnavailable(answer);
        else expectServed(answer);
      }

      // Each write is one transaction: a success is there exactly once, and nothing else of ours
      // is. A 503 write may still have committed (the kill landing between COMMIT and its
      // answer), so those are allowed either way, but never twice.
      const db = new pg.Client({ connectionString: databaseUrl });
      await db.connect();
      try {
        const posts = (await db.query<{ text: string }>(`select title as text from posts where title like 'load %'`)).rows.map(
          (r) => r.text,
        );
        const comments = (await db.query<{ text: string }>(`select body as text from comments where body like 'load %'`)).rows.map(
          (r) => r.text,
        );
        for (const [kind, rows] of [
          ['post', posts],
          ['comment', comments],
        ] as const) {
          const sent = attempts.filter((a) => a.kind === kind);
          expect(new Set(rows).size, `${kind}s written twice`).toBe(rows.length);
          expect(rows.filter((text) => !sent.some((a) => a.text === text))).toEqual([]);
          const succeeded = sent.filter((a) => a.answer.status === 200).map((a) => a.text);
          expect(
            succeeded.filter((text) => !rows.includes(text)),
            `${kind}s answered 200 but missing`,
          ).toEqual([]);
        }
      } finally {
        await db.end();
      }

      await served(server);
      // Every connection a request took is back in the pool: none was kept by a failed BEGIN.
      const inUse = 'db_pool_connections{state="in_use"}';
      expect(sample(await scrapeUntil({ metricsUrl: new URL('/metrics', server.url) }, inUse, 0), inUse)).toBe(0);
      const after = await Promise.all([
        send(server, POSTS),
        send(server, CREATE_POST, { title: 'after the load' }, session),
        send(server, CREATE_COMMENT, { postId, body: 'after the load' }, session),
      ]);
      for (const answer of after) {
        // The server's account of a 503 (which statement, which driver error) says more than its body.
        const unavailable = server.logs().filter((line) => line.msg === 'database unavailable while serving a request');
        expect(answer.status, `${answer.text}\n${JSON.stringify(unavailable.slice(-3), null, 1)}`).toBe(200);
        expectServed(answer);
      }
      expectAlive(server);
    });
  });

  const support = privatePostgresSupport();
  describe.skipIf('missing' in support)(`Postgres restarts${'missing' in support ? ` (skipped: ${support.missing})` : ''}`, () => {
    let postgres: PrivatePostgres;
    let dataDir: string;
    let server: Server;

    beforeAll(async () => {
      postgres = await startPrivatePostgres();
      dataDir = await mkdtemp(path.join(tmpdir(), 'social-graphql-test-'));
      server = await startServer({ DATABASE_URL: postgres.url, DATA_DIR: dataDir, DATABASE_CONNECT_TIMEOUT_MS: '1000' });
    });
    // Each is unset if beforeAll failed before making it, which the declared types cannot say.
    afterAll(async () => {
      /* eslint-disable @typescript-eslint/no-unnecessary-condition */
      await server?.stop();
      await postgres?.destroy();
      /* eslint-enable @typescript-eslint/no-unnecessary-condition */
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    });

    test('while Postgres is down requests are 503 and /ready is 503; once it is back both recover without a restart', async () => {
      const session = await signUp(server, 'restart@example.com');
      // Warm: idle pooled connections are the ones the shutdown ends under the pool.
      (
        await Promise.all([send(server, POSTS), send(server, POSTS), send(server, CREATE_POST, { title: 'before the restart' }, session)])
      ).forEach(expectServed);

      await postgres.stop();
      expectUnavailable(await send(server, POSTS));
      expectUnavailable(await send(server, CREATE_POST, { title: 'while down' }, session));
      const ready = await fetch(new URL('/ready', server.url));
      expect(ready.status).toBe(503);
      await ready.text();
      expectAlive(server);

      await postgres.start();
      await served(server);
      expectServed(await send(server, CREATE_POST, { title: 'after the restart' }, session));
      expect((await fetch(new URL('/ready', server.url))).status).toBe(200);
      const titles = await countRows(
        postgres.url,
        `select count(*)::int as n from posts where title in ('before the restart', 'while down', 'after the restart')`,
        [],
      );
      expect(titles).toBe(2);
      expectAlive(server);
    });
  });
});

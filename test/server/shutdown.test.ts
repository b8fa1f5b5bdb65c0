// SIGTERM, as an orchestrator sends it: stop accepting, finish what is in flight, exit 0.
import { afterAll, describe, expect, test } from 'vitest';
import { postQuery, startServer, waitUntilRefused, withDeadline } from '../support/child-server.js';
import { given } from '../support/given.js';
import { lockTable } from '../support/table-lock.js';
import { startTestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const TITLES = '{ posts { edges { node { title author { name } } } } }';

describe.skipIf(!process.env.DATABASE_URL)('with DATABASE_URL', () => {
  let database: TestDatabase | undefined;
  afterAll(() => database?.drop());

  test('a request in flight at SIGTERM completes with its data; new connections are refused; exit code 0', async () => {
    database = await createTestDatabase();
    const databaseUrl = database.env.DATABASE_URL!;
    // A shutdown timeout far beyond the test's deadlines: exiting in time shows the server let go
    // of every connection once answered, rather than the timeout cutting them off.
    const server = await startServer({ ...database.env, SHUTDOWN_TIMEOUT_MS: '120000' });
    const port = Number(server.url.port);
    // Rows written through an in-process app on the same database, by the usual builders.
    const writer = await startTestApp({ env: { DATABASE_URL: databaseUrl } });
    await given(writer).post({ by: await given(writer).user({ name: 'Ada' }), title: 'Engines' });
    await writer.close();
    // A client with a kept-alive connection from an earlier request must not hold the exit up.
    expect((await postQuery(server.url, '{ __typename }')).status).toBe(200);

    const lock = await lockTable(databaseUrl, 'posts');
    let isSettled = false;
    const inFlight = postQuery(server.url, TITLES).finally(() => (isSettled = true));
    try {
      await lock.waiters(1); // the request is in the server, its statement waiting for the lock
      server.process.kill('SIGTERM');
      await waitUntilRefused(port);
      expect(isSettled).toBe(false);
      expect(server.process.exitCode).toBeNull();
    } finally {
      await lock.release();
    }

    const answer = await inFlight;
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.data).toEqual({ posts: { edges: [{ node: { title: 'Engines', author: { name: 'Ada' } } }] } });
    const exit = await withDeadline(
      server.exited,
      15_000,
      () => `no exit within 15 s of answering the last request; output:\n${server.output()}`,
    );
    expect(exit).toEqual({ code: 0, signal: null });
    expect(server.logs().map((line) => line.msg)).toEqual(expect.arrayContaining(['stopping: finishing in-flight requests', 'stopped']));
  });
});

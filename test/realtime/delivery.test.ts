// When events go out: only after commit, in order, still during a graceful shutdown (then 1001),
// and never piling up without bound behind a client that stopped reading.
import { once } from 'node:events';
import { sql } from 'drizzle-orm';
import { beforeAll, expect, test } from 'vitest';
import WebSocket from 'ws';
import { given } from '../support/given.js';
import { signIn, type Session } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { connectWs, untilLive, wsUrl, type Result } from '../support/ws-client.js';

let app: TestApp;
let session: Session;

beforeAll(async () => {
  app = await startTestApp();
  session = await signIn(app, (await given(app).users(1))[0]!);
});

const POST_CREATED = `subscription { postCreated { title } }`;
const isProbe = (result: Result) => (result.data?.postCreated?.title ?? '').startsWith('probe');
const titled = (title: string) => (result: Result) => result.data?.postCreated?.title === title;

function createPost(target: TestApp, as: Session, title: string, content = 'Body.') {
  return target.query(`mutation($input: CreatePostInput!) { createPost(input: $input) { id } }`, { input: { title, content } }, as);
}

test('a write that rolls back at commit publishes nothing', async () => {
  // Fails the transaction at COMMIT, after the insert succeeded: an event published any earlier
  // than after commit would get out.
  await app.database.db.execute(
    sql.raw(`
    create function fail_at_commit() returns trigger language plpgsql as $$
    begin if new.title = 'rolled back' then raise exception 'refused at commit'; end if; return null; end $$`),
  );
  await app.database.db.execute(
    sql.raw(`
    create constraint trigger posts_fail_at_commit after insert on posts deferrable initially deferred
      for each row execute function fail_at_commit()`),
  );
  const sub = connectWs(app.url).subscribe(POST_CREATED);
  await untilLive(sub, (n) => createPost(app, session, `probe ${n}`), isProbe);
  const after = sub.results.length;
  const failed = await createPost(app, session, 'rolled back');
  expect(failed.errors?.[0]?.extensions.code).toBe('INTERNAL_SERVER_ERROR');
  await createPost(app, session, 'committed');
  await sub.waitFor(titled('committed'), { after });
  // In publishing order: the rolled-back post would have come first.
  expect(
    sub.results
      .slice(after)
      .filter((r) => !isProbe(r))
      .map((r) => r.data.postCreated.title),
  ).toEqual(['committed']);
});

test('a graceful shutdown sends the events already published, then closes sockets with 1001', async () => {
  const own = await startTestApp();
  const ownSession = await signIn(own, (await given(own).users(1))[0]!);
  const ws = connectWs(own.url);
  const sub = ws.subscribe(POST_CREATED);
  await untilLive(sub, (n) => createPost(own, ownSession, `probe ${n}`), isProbe);
  await createPost(own, ownSession, 'just before the shutdown');
  const closing = own.close();
  expect((await ws.closed).code).toBe(1001);
  expect(sub.results.some(titled('just before the shutdown'))).toBe(true);
  await closing;
});

test('a subscriber that stops reading is dropped with 1013 once its queue is full', async () => {
  const own = await startTestApp({ env: { SUBSCRIPTION_MAX_QUEUED_EVENTS: '2' }, captureLogs: true });
  const ownSession = await signIn(own, (await given(own).users(1))[0]!);
  const socket = new WebSocket(wsUrl(own.url), 'graphql-transport-ws');
  const closed = once(socket, 'close');
  const messages: any[] = [];
  // binaryType is ws's default, 'nodebuffer': each message arrives as one Buffer.
  socket.on('message', (data) => messages.push(JSON.parse((data as Buffer).toString())));
  await once(socket, 'open');
  socket.send(JSON.stringify({ type: 'connection_init' }));
  await once(socket, 'message'); // connection_ack: a subscribe before it would be refused (4401)
  socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: `subscription { postCreated { title content } }` } }));
  const live = {
    get results() {
      return messages.filter((m) => m.type === 'next').map((m) => m.payload as Result);
    },
    waitFor: (match: (r: Result) => boolean, { after = 0, timeoutMs = 5_000 } = {}) =>
      new Promise<Result>((resolve, reject) => {
        const check = () => {
          const found = live.results.slice(after).find(match);
          if (!found) return;
          clearTimeout(timer);
          socket.off('message', check);
          resolve(found);
        };
        const timer = setTimeout(() => {
          socket.off('message', check);
          reject(new Error(`no matching message within ${timeoutMs} ms`));
        }, timeoutMs);
        socket.on('message', check);
        check();
      }),
  };
  await untilLive(live, (n) => createPost(own, ownSession, `probe ${n}`), isProbe);

  // Stop reading: the kernel's buffers fill, then the server's sends wait, then the queue fills.
  (socket as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
  const big = 'x'.repeat(20_000);
  const deadline = Date.now() + 60_000;
  const dropped = () => own.logs.some((line) => line.msg === 'dropped a subscriber that fell too far behind');
  while (!dropped()) {
    if (Date.now() > deadline) throw new Error('the slow subscriber was never dropped');
    await Promise.all(Array.from({ length: 10 }, (_, i) => createPost(own, ownSession, `bulk ${i}`, big)));
  }
  (socket as unknown as { _socket: { resume(): void } })._socket.resume();
  const [code] = await closed;
  expect(code).toBe(1013);
}, 90_000);

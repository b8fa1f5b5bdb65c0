// A WebSocket subscription in the log, as an operator follows one: a "request" line when it starts
// or is refused, and, for one that started, a "subscription ended" line with how long it lived,
// how many events it was sent and how it ended. The two share connectionId and subscriptionId.
import { beforeAll, expect, test } from 'vitest';
import { given, type GivenUser } from '../support/given.js';
import { signIn, type Session } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { connectWs, untilLive, type Result } from '../support/ws-client.js';

let app: TestApp;
let ada: GivenUser;
let session: Session;

beforeAll(async () => {
  app = await startTestApp({ captureLogs: true });
  ada = (await given(app).users(1))[0]!;
  session = await signIn(app, ada);
});

const FEED = 'subscription Feed { postCreated { title } }';
const isProbe = (result: Result) => (result.data?.postCreated?.title ?? '').startsWith('probe');

function createPost(title: string) {
  return app.query(
    `mutation($input: CreatePostInput!) { createPost(input: $input) { id } }`,
    { input: { title, content: 'Body.' } },
    session,
  );
}

const subscriptionLines = () => app.logs.filter((line) => line.transport === 'websocket');

/** Resolves with the log line `isWanted` accepts, once the server has written it. */
async function logged(isWanted: (line: Record<string, any>) => boolean, timeoutMs = 5_000): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = app.logs.find(isWanted);
    if (line) return line;
    if (Date.now() > deadline) throw new Error(`no such log line; WebSocket lines: ${JSON.stringify(subscriptionLines())}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('a subscription the client completes: its start, then its end with the events it was sent', async () => {
  const connection = connectWs(app.url, { token: session.token });
  const sub = connection.subscribe(FEED);
  await untilLive(sub, (n) => createPost(`probe ${n}`), isProbe);
  await createPost('one more');
  await sub.waitFor((result) => result.data?.postCreated?.title === 'one more');
  const sent = sub.results.length;

  const start = await logged((line) => line.msg === 'request' && line.operationName === 'Feed' && line.userId === ada.id);
  expect(start).toEqual(
    expect.objectContaining({ level: 30, operationType: 'subscription', path: '/graphql', connectionId: expect.any(String) }),
  );
  expect(start.errorCodes).toBeUndefined();
  sub.stop();
  const end = await logged((line) => line.msg === 'subscription ended' && line.subscriptionId === start.subscriptionId);
  expect(end).toEqual(
    expect.objectContaining({
      connectionId: start.connectionId,
      operationName: 'Feed',
      operationType: 'subscription',
      userId: ada.id,
      events: sent,
      endedBy: 'complete',
      durationMs: expect.any(Number),
    }),
  );
  await connection.dispose();
});

test('a subscription whose socket goes away ends with it: "socket closed"', async () => {
  const connection = connectWs(app.url);
  const sub = connection.subscribe('subscription Gone { postCreated { title } }');
  await untilLive(sub, (n) => createPost(`probe ${n}`), isProbe);
  const start = await logged((line) => line.msg === 'request' && line.operationName === 'Gone');
  expect(start.userId).toBeNull();
  await connection.dispose();
  const end = await logged((line) => line.msg === 'subscription ended' && line.connectionId === start.connectionId);
  expect(end).toEqual(expect.objectContaining({ operationName: 'Gone', endedBy: 'socket closed', events: sub.results.length }));
});

test('a refused subscription logs its codes, and no end', async () => {
  const connection = connectWs(app.url);
  const sub = connection.subscribe('subscription Refused { postCreated { nope } }');
  expect((await sub.ended)?.[0]?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  // Unnamed here: the message sent no operationName, and the document never passed validation (as over HTTP).
  const start = await logged((line) => line.msg === 'request' && line.transport === 'websocket' && line.errorCodes !== undefined);
  expect(start).toEqual(expect.objectContaining({ errorCodes: ['GRAPHQL_VALIDATION_FAILED'], operationName: null }));
  await connection.dispose();
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(app.logs.filter((line) => line.msg === 'subscription ended' && line.connectionId === start.connectionId)).toEqual([]);
});

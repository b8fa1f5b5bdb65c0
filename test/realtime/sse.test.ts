// Subscriptions over yoga's SSE transport (Accept: text/event-stream on /graphql): the same events
// and the same guards as over WebSocket.
import { beforeAll, expect, test } from 'vitest';
import { given, type GivenUser } from '../support/given.js';
import { signIn, type Session } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { sseSubscribe } from '../support/sse-client.js';
import { untilLive, type Result } from '../support/ws-client.js';

let app: TestApp;
let alice: GivenUser;
let session: Session;

beforeAll(async () => {
  app = await startTestApp();
  alice = (await given(app).users(1))[0]!;
  session = await signIn(app, alice!);
});

const createPost = (title: string) =>
  app.query(`mutation { createPost(input: { title: "${title}", content: "Body." }) { id } }`, undefined, session);
const isProbe = (r: Result) => (r.data?.postCreated?.title ?? '').startsWith('probe');

test('postCreated streams over SSE, with viewer fields as the token says', async () => {
  const stream = await sseSubscribe(app.url, `subscription { postCreated { title author { email } } }`, session.headers);
  expect(stream.status).toBe(200);
  await untilLive(stream, (n) => createPost(`probe ${n}`), isProbe);
  await createPost('over SSE');
  const result = await stream.waitFor((r) => r.data?.postCreated?.title === 'over SSE');
  expect(result.data.postCreated.author).toEqual({ email: alice.email });
});

test('a malformed postId is BAD_USER_INPUT, and the stream ends', async () => {
  const stream = await sseSubscribe(app.url, `subscription { commentAdded(postId: "nope") { id } }`);
  await stream.done;
  expect(stream.results[0]?.errors).toMatchObject([{ extensions: { code: 'BAD_USER_INPUT', details: [{ field: 'postId' }] } }]);
});

test('depth and cost limits apply over SSE too', async () => {
  const deep = await sseSubscribe(
    app.url,
    `subscription { postCreated { author { posts(first: 1) { edges { node { author { posts(first: 1) { edges { node { author { posts(first: 1) { edges { node { id } } } } } } } } } } } } } }`,
  );
  await deep.done;
  expect(deep.results[0]?.errors).toMatchObject([{ extensions: { code: 'QUERY_TOO_DEEP' } }]);
  const costly = await sseSubscribe(
    app.url,
    `subscription { postCreated { author { posts(first: 100) { edges { node { comments(first: 100) { edges { node { body } } } } } } } } }`,
  );
  await costly.done;
  expect(costly.results[0]?.errors).toMatchObject([{ extensions: { code: 'QUERY_TOO_COMPLEX' } }]);
});

test('an invalid token is UNAUTHENTICATED, never silently anonymous', async () => {
  const stream = await sseSubscribe(app.url, `subscription { postCreated { id } }`, { authorization: 'Bearer garbage' });
  await stream.done;
  expect(stream.results[0]?.errors).toMatchObject([{ extensions: { code: 'UNAUTHENTICATED' } }]);
});

test('a graceful shutdown ends SSE streams without waiting for the shutdown deadline', async () => {
  // A deadline longer than the test's own timeout: only ending the streams lets the server stop in time.
  const own = await startTestApp({ env: { SHUTDOWN_TIMEOUT_MS: '120000' } });
  const ownSession = await signIn(own, (await given(own).users(1))[0]!);
  const stream = await sseSubscribe(own.url, `subscription { postCreated { title } }`);
  const probe = (n: number) =>
    own.query(`mutation { createPost(input: { title: "probe ${n}", content: "x" }) { id } }`, undefined, ownSession);
  await untilLive(stream, probe, isProbe);
  await own.close();
  await stream.done;
});

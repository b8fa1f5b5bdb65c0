// Subscriptions opened with a token that logOut revokes, or whose user deleteUser removes, end
// (issue 11): WebSockets close with 4403, SSE streams break off; on every instance (with Redis).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { postQuery, startServer, withDeadline } from '../support/child-server.js';
import { given, type GivenUser } from '../support/given.js';
import { signIn, type Session } from '../support/sign-in.js';
import { sseSubscribe } from '../support/sse-client.js';
import { createTestDatabase } from '../support/test-database.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { connectWs, untilLive, type Result, type WsConnection } from '../support/ws-client.js';

let app: TestApp;
let writer: Session;

beforeAll(async () => {
  app = await startTestApp();
  writer = await signIn(app, (await given(app).users(1))[0]!);
});

const POST_CREATED = `subscription { postCreated { title author { email } } }`;
const isProbe = (r: Result) => (r.data?.postCreated?.title ?? '').startsWith('probe');
const createPost = (title: string, target: TestApp = app) =>
  target.query(`mutation { createPost(input: { title: "${title}", content: "Body." }) { id } }`, undefined, writer);
const closeCode = (ws: WsConnection) => withDeadline(ws.closed, 5_000, () => 'the socket did not close').then((event) => event.code);

/** A socket signed in with `session`, with a postCreated subscription that is live. */
async function liveSocket(session?: Session) {
  const ws = connectWs(app.url, { token: session?.token });
  const subscription = ws.subscribe(POST_CREATED);
  await untilLive(subscription, (n) => createPost(`probe ${n}`), isProbe);
  return { ws, subscription };
}

test("logOut closes the viewer's open WebSockets with 4403, on every device", async () => {
  const bob: GivenUser = (await given(app).users(1))[0]!;
  const [phone, laptop] = [await signIn(app, bob), await signIn(app, bob)];
  const [onPhone, onLaptop, anonymous] = await Promise.all([liveSocket(phone), liveSocket(laptop), liveSocket()]);

  expect((await app.query('mutation { logOut }', undefined, phone)).data).toEqual({ logOut: true });
  expect(await closeCode(onPhone.ws)).toBe(4403);
  expect(await closeCode(onLaptop.ws)).toBe(4403);

  // Nobody else's socket closes, and a token from a later logIn is not revoked.
  const again = await liveSocket(await signIn(app, bob));
  const after = anonymous.subscription.results.length;
  await createPost('after the logOut');
  await anonymous.subscription.waitFor((r) => r.data?.postCreated?.title === 'after the logOut', { after });
  await again.subscription.waitFor((r) => r.data?.postCreated?.title === 'after the logOut');
  expect(onPhone.subscription.results.some((r) => r.data?.postCreated?.title === 'after the logOut')).toBe(false);
});

test('deleteUser closes the WebSockets of the deleted account with 4403', async () => {
  const gone: GivenUser = (await given(app).users(1))[0]!;
  const session = await signIn(app, gone);
  const { ws } = await liveSocket(session);
  const res = await app.query(`mutation($id: ID!) { deleteUser(id: $id) }`, { id: gone.gid }, session);
  expect(res.data).toEqual({ deleteUser: true });
  expect(await closeCode(ws)).toBe(4403);
});

test("logOut ends the viewer's SSE streams; an anonymous one goes on", async () => {
  const cy: GivenUser = (await given(app).users(1))[0]!;
  const session = await signIn(app, cy);
  const [signedIn, anonymous] = await Promise.all([
    sseSubscribe(app.url, POST_CREATED, session.headers),
    sseSubscribe(app.url, POST_CREATED),
  ]);
  await untilLive(signedIn, (n) => createPost(`probe sse ${n}`), isProbe);
  await untilLive(anonymous, (n) => createPost(`probe sse anonymous ${n}`), isProbe);

  await app.query('mutation { logOut }', undefined, session);
  await withDeadline(signedIn.done, 5_000, () => 'the SSE stream did not end');
  const after = anonymous.results.length;
  await createPost('after the SSE logOut');
  await anonymous.waitFor((r) => r.data?.postCreated?.title === 'after the SSE logOut', { after });
});

describe.skipIf(!process.env.REDIS_URL || !process.env.DATABASE_URL)('with REDIS_URL, across instances', () => {
  test("a logOut or deleteUser on one instance closes the viewer's sockets on another with 4403", async () => {
    const database = await createTestDatabase();
    afterAll(() => database.drop());
    const env = {
      ...database.env,
      REDIS_URL: process.env.REDIS_URL!,
      REDIS_PREFIX: `test-${randomBytes(4).toString('hex')}:`,
      JWT_SECRET: randomBytes(32).toString('hex'),
    };
    const [a, b] = await Promise.all([startServer(env), startServer(env)]);
    const signUp = async (name: string) =>
      (
        await postQuery(
          a.url,
          `mutation { createUser(input: { name: "${name}", email: "${name}@example.com", password: "correct horse battery" }) { token user { id } } }`,
        )
      ).body.data.createUser as { token: string; user: { id: string } };
    const [ada, eve] = [await signUp('ada'), await signUp('eve')];
    const as = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
    const probe = (n: number) =>
      postQuery(a.url, `mutation { createPost(input: { title: "probe ${n}", content: "Body." }) { id } }`, as(ada.token));

    // Live on B through events written on A: B listens on Redis, so it hears revocations too.
    const [adaOnB, eveOnB, anonymousOnB] = [
      connectWs(b.url, { token: ada.token }),
      connectWs(b.url, { token: eve.token }),
      connectWs(b.url),
    ];
    const subscriptions = [adaOnB, eveOnB, anonymousOnB].map((ws) => ws.subscribe(POST_CREATED));
    for (const subscription of subscriptions) await untilLive(subscription, probe, isProbe);
    const anonymous = subscriptions[2]!;

    expect((await postQuery(a.url, 'mutation { logOut }', as(ada.token))).body.data).toEqual({ logOut: true });
    expect(await closeCode(adaOnB)).toBe(4403);
    expect((await postQuery(a.url, `mutation { deleteUser(id: "${eve.user.id}") }`, as(eve.token))).body.data).toEqual({
      deleteUser: true,
    });
    expect(await closeCode(eveOnB)).toBe(4403);

    // The anonymous socket on B still gets events.
    const writer = await signUp('writer');
    const after = anonymous.results.length;
    await postQuery(a.url, `mutation { createPost(input: { title: "after", content: "Body." }) { id } }`, as(writer.token));
    await anonymous.waitFor((r) => r.data?.postCreated?.title === 'after', { after });
    await Promise.all([a.stop(), b.stop()]);
  }, 60_000);
});

// The WebSocket transport's rules: the token at connection_init, subscriptions only, every guard
// as an `error` message with the HTTP code, and the socket's own limits.
import { once } from 'node:events';
import { describe, expect, test, beforeAll } from 'vitest';
import WebSocket from 'ws';
import { given, type GivenUser } from '../support/given.js';
import { signIn, type Session } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { connectWs, untilLive, wsUrl, type Result } from '../support/ws-client.js';

let app: TestApp;
/**
 * Small socket limits, for the tests of those limits. The ping interval stays long enough that a
 * client slowed down by a busy machine still answers in time: a late pong ends its connection.
 */
let tight: TestApp;
let alice: GivenUser;
let session: Session;

beforeAll(async () => {
  [app, tight] = await Promise.all([
    startTestApp(),
    startTestApp({
      env: {
        WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: '2',
        MAX_BODY_BYTES: '2048',
        WS_CONNECTION_INIT_TIMEOUT_MS: '300',
        WS_KEEP_ALIVE_MS: '2000',
      },
    }),
  ]);
  alice = (await given(app).users(1))[0]!;
  session = await signIn(app, alice!);
});

const POST_CREATED = `subscription { postCreated { id title } }`;

/** A bare socket speaking graphql-transport-ws, for what the official client hides. */
function rawSocket(url: URL, protocol = 'graphql-transport-ws') {
  const socket = new WebSocket(wsUrl(url), protocol);
  socket.on('error', () => undefined); // a refused handshake also closes: tests look at the close
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  const opened = once(socket, 'open');
  opened.catch(() => undefined); // awaited by the tests that expect it to open
  return { socket, closed, opened };
}

describe('authentication', () => {
  test('an invalid token in connection_init closes the socket with 4403', async () => {
    for (const authorization of ['Bearer not-a-token', 'Basic abc', `Bearer ${session.token}x`]) {
      const ws = connectWs(app.url, { connectionParams: { authorization } });
      expect((await ws.closed).code).toBe(4403);
    }
  });

  test('a token revoked by logOut closes the socket with 4403', async () => {
    const [bob] = await given(app).users(1);
    const bobSession = await signIn(app, bob!);
    await app.query('mutation { logOut }', undefined, bobSession);
    expect((await connectWs(app.url, { token: bobSession.token }).closed).code).toBe(4403);
  });

  test('a valid token, and no token at all, are acknowledged', async () => {
    await connectWs(app.url, { token: session.token }).acknowledged;
    await connectWs(app.url).acknowledged;
  });
});

describe('operations', () => {
  test('a query or a mutation on the socket is an error message with BAD_REQUEST', async () => {
    const ws = connectWs(app.url);
    expect(await ws.subscribe('{ posts { edges { node { id } } } }').ended).toMatchObject([{ extensions: { code: 'BAD_REQUEST' } }]);
    expect(await ws.subscribe('mutation { logOut }').ended).toMatchObject([{ extensions: { code: 'BAD_REQUEST' } }]);
  });

  test('parse, validation and variable errors carry their HTTP codes, without HTTP details', async () => {
    const ws = connectWs(app.url);
    const parse = await ws.subscribe('subscription {').ended;
    expect(parse).toMatchObject([{ extensions: { code: 'GRAPHQL_PARSE_FAILED' } }]);
    expect(parse![0]!.extensions.http).toBeUndefined();
    expect(await ws.subscribe('subscription { postCreated { nope } }').ended).toMatchObject([
      { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
    ]);
    const variable = await ws.subscribe('subscription($id: ID!) { commentAdded(postId: $id) { id } }', {}).ended;
    expect(variable).toMatchObject([{ extensions: { code: 'BAD_USER_INPUT', details: [{ field: '$id' }] } }]);
  });

  test('depth and cost limits refuse a subscription when it starts, with the HTTP codes', async () => {
    const ws = connectWs(app.url);
    // 14 levels (the root field is 1), at a cost far under the limit.
    const deep = `subscription { postCreated { author { posts(first: 1) { edges { node { author { posts(first: 1) { edges { node { author { posts(first: 1) { edges { node { id } } } } } } } } } } } } } }`;
    expect(await ws.subscribe(deep).ended).toMatchObject([{ extensions: { code: 'QUERY_TOO_DEEP', limit: 10 } }]);
    const costly = `subscription { postCreated { author { posts(first: 100) { edges { node { comments(first: 100) { edges { node { body } } } } } } } } }`;
    expect(await ws.subscribe(costly).ended).toMatchObject([{ extensions: { code: 'QUERY_TOO_COMPLEX', limit: 1000 } }]);
  });

  test('the rate limit applies to subscriptions started over the socket', async () => {
    const strict = await startTestApp({ env: { RATE_LIMIT_POINTS: '5' } });
    const ws = connectWs(strict.url);
    // Each start costs its operation's cost (3 points here): of two, one is over the budget of 5.
    const refused = await Promise.race([ws.subscribe(POST_CREATED).ended, ws.subscribe(POST_CREATED).ended]);
    expect(refused).toMatchObject([{ extensions: { code: 'RATE_LIMITED', retryAfter: expect.any(Number) } }]);
  });

  test(`at most WS_MAX_SUBSCRIPTIONS_PER_CONNECTION subscriptions at once: one more is BAD_REQUEST`, async () => {
    const small = tight;
    const [author] = await given(small).users(1);
    const authorSession = await signIn(small, author!);
    const ws = connectWs(small.url);
    const subs = [ws.subscribe(POST_CREATED), ws.subscribe(POST_CREATED)];
    const probe = (n: number) =>
      small.query(`mutation { createPost(input: { title: "probe ${n}", content: "x" }) { id } }`, undefined, authorSession);
    for (const sub of subs) await untilLive(sub, probe, (r: Result) => r.data?.postCreated?.title?.startsWith('probe'));
    expect(await ws.subscribe(POST_CREATED).ended).toMatchObject([{ extensions: { code: 'BAD_REQUEST' } }]);
    subs[0]!.stop();
    const third = ws.subscribe(POST_CREATED);
    await untilLive(third, probe, (r: Result) => r.data?.postCreated?.title?.startsWith('probe'));
  });
});

describe('the socket', () => {
  test('a frame over the body limit closes the socket with 1009', async () => {
    const { socket, closed, opened } = rawSocket(tight.url);
    await opened;
    socket.send(JSON.stringify({ type: 'connection_init', payload: { padding: 'x'.repeat(4096) } }));
    expect((await closed).code).toBe(1009);
  });

  test('a socket that sends no connection_init in time is closed with 4408', async () => {
    const { closed } = rawSocket(tight.url);
    expect((await closed).code).toBe(4408);
  });

  test('the server pings to keep the connection alive', async () => {
    const { socket, opened } = rawSocket(tight.url);
    await opened;
    socket.send(JSON.stringify({ type: 'connection_init' })); // else the init timeout closes it first
    await once(socket, 'ping');
    socket.close();
  });

  test('another subprotocol is refused, and so is another path', async () => {
    const { closed } = rawSocket(app.url, 'graphql-ws');
    expect((await closed).code).not.toBe(1000);
    const elsewhere = new WebSocket(wsUrl(new URL('/elsewhere', app.url)), 'graphql-transport-ws');
    const [, response] = await once(elsewhere, 'unexpected-response');
    expect(response.statusCode).toBe(404);
  });

  test('connections beyond WS_MAX_CONNECTIONS_PER_ADDRESS from one client are refused with 429', async () => {
    const small = await startTestApp({ env: { WS_MAX_CONNECTIONS_PER_ADDRESS: '2' } });
    const first = rawSocket(small.url);
    const second = rawSocket(small.url);
    await Promise.all([first.opened, second.opened]);
    const third = new WebSocket(wsUrl(small.url), 'graphql-transport-ws');
    const [, response] = await once(third, 'unexpected-response');
    expect(response.statusCode).toBe(429);
    first.socket.close();
    await first.closed;
    // The count follows the sockets: once the server has seen one close, another may connect.
    const deadline = Date.now() + 5_000;
    for (;;) {
      const fourth = new WebSocket(wsUrl(small.url), 'graphql-transport-ws');
      const outcome = await Promise.race([
        once(fourth, 'open').then(() => 'open'),
        once(fourth, 'unexpected-response').then(() => 'refused'),
      ]);
      fourth.close();
      if (outcome === 'open') break;
      if (Date.now() > deadline) throw new Error('a connection was still refused 5 s after another one closed');
    }
    second.socket.close();
  });
});

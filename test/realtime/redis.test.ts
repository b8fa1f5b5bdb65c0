// Across instances, over Redis (only when REDIS_URL is set): an event written through one server
// reaches the subscribers of every server, and Redis going away and coming back crashes nothing.
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, test } from 'vitest';
import { postQuery, startServer } from '../support/child-server.js';
import { given } from '../support/given.js';
import { signIn } from '../support/sign-in.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestApp } from '../support/test-app.js';
import { connectWs, untilLive, type Result } from '../support/ws-client.js';

const REDIS_URL = process.env.REDIS_URL;
/** Channels of this run only: other runs may share the Redis. */
const prefix = () => `test-${randomBytes(4).toString('hex')}:`;
const isProbe = (r: Result) => (r.data?.postCreated?.title ?? '').startsWith('probe');
const titled = (title: string) => (r: Result) => r.data?.postCreated?.title === title;

describe.skipIf(!REDIS_URL)('with REDIS_URL', () => {
  test.skipIf(!process.env.DATABASE_URL)('two server processes on one Postgres and one Redis deliver each other’s events', async () => {
    const database: TestDatabase = await createTestDatabase();
    afterAll(() => database.drop());
    const env = { ...database.env, REDIS_URL: REDIS_URL!, REDIS_PREFIX: prefix(), JWT_SECRET: randomBytes(32).toString('hex') };
    const [a, b] = await Promise.all([startServer(env), startServer(env)]);
    const signUp = await postQuery(
      a.url,
      `mutation { createUser(input: { name: "Ada", email: "ada@example.com", password: "correct horse battery" }) { token } }`,
    );
    const token = signUp.body.data.createUser.token as string;
    // One token for both: the servers share JWT_SECRET.
    const createPost = (url: URL, title: string) =>
      postQuery(url, `mutation { createPost(input: { title: "${title}", content: "Body." }) { id } }`, {
        headers: { authorization: `Bearer ${token}` },
      });

    const onA = connectWs(a.url).subscribe(`subscription { postCreated { title } }`);
    const onB = connectWs(b.url, { token }).subscribe(`subscription { postCreated { title author { email } } }`);
    // Probes written through the *other* server: live means live across instances.
    await untilLive(onA, (n) => createPost(b.url, `probe b${n}`), isProbe);
    await untilLive(onB, (n) => createPost(a.url, `probe a${n}`), isProbe);

    await createPost(b.url, 'written through B');
    await createPost(a.url, 'written through A');
    for (const title of ['written through B', 'written through A']) {
      await onA.waitFor(titled(title));
      expect((await onB.waitFor(titled(title))).data.postCreated.author).toEqual({ email: 'ada@example.com' });
    }
    await Promise.all([a.stop(), b.stop()]);
  });

  test('Redis going away pauses events without crashing anything; they flow again once it is back', async () => {
    const redis = new URL(REDIS_URL!);
    const proxy = await startTcpProxy({ host: redis.hostname, port: Number(redis.port || 6379) });
    const app = await startTestApp({ env: { REDIS_URL: proxy.urlFor(REDIS_URL!), REDIS_PREFIX: prefix() }, captureLogs: true });
    const session = await signIn(app, (await given(app).users(1))[0]!);
    const createPost = (title: string) =>
      app.query(`mutation { createPost(input: { title: "${title}", content: "Body." }) { id } }`, undefined, session);

    const sub = connectWs(app.url).subscribe(`subscription { postCreated { title } }`);
    await untilLive(sub, (n) => createPost(`probe ${n}`), isProbe);

    await proxy.cut();
    // Writes go on; their events are lost (README), and the server stays up.
    const during = await createPost('during the outage');
    expect(during.status).toBe(200);
    expect(during.data.createPost.id).toBeTruthy();
    expect((await app.query('{ posts(first: 1) { edges { node { title } } } }')).data.posts.edges[0].node.title).toBe('during the outage');

    await proxy.restore();
    // The subscription survived: once ioredis has reconnected and subscribed again, probes arrive.
    await untilLive(sub, (n) => createPost(`probe after ${n}`), isProbe, { timeoutMs: 30_000 });
    const after = sub.results.length;
    await createPost('after the outage');
    await sub.waitFor(titled('after the outage'), { after });
    expect(app.logs.some((line) => /Redis connection lost/.test(line.msg))).toBe(true);
  }, 60_000);
});

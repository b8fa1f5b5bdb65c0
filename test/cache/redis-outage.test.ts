// Redis going away degrades the response cache to no cache (issue 15): reads are answered from
// the database, never stale and never failed; a mutation still succeeds, answering once every
// answer its failed invalidation should have dropped has expired; once Redis is back, nothing
// stale is served.
import { randomUUID } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { freePort } from '../support/child-server.js';
import { given } from '../support/given.js';
import { signIn } from '../support/sign-in.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const REDIS_URL = process.env.REDIS_URL;
const POSTS = '{ posts(first: 50) { edges { node { title } } } }';
const CREATE_POST = 'mutation($title: String!) { createPost(input: { title: $title, content: "Body." }) { id } }';
const titles = (res: { data: any }) => res.data.posts.edges.map((edge: any) => edge.node.title);

/** Ada with one post, and her session. */
async function adaWithPost(app: TestApp) {
  const [ada] = await given(app).users(1);
  await given(app).post({ by: ada!, title: 'Before' });
  return signIn(app, ada!);
}

describe.skipIf(!REDIS_URL)('with Redis behind a proxy', () => {
  test('cut: reads come from the database, a mutation succeeds, and after the restore nothing stale is served', async () => {
    const target = new URL(REDIS_URL!);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
    // Long enough for the answer below to be a hit for sure; the mutation waits it out (plus 1 s).
    const app = await startTestApp({
      env: { REDIS_URL: proxy.urlFor(REDIS_URL!), REDIS_PREFIX: `test-cache-${randomUUID()}:`, RESPONSE_CACHE_TTL_MS: '3000' },
    });
    const asAda = await adaWithPost(app);
    await app.query(POSTS);
    expect((await app.query(POSTS)).headers.get('x-cache')).toBe('HIT');

    await proxy.cut();
    for (let i = 0; i < 2; i++) {
      const duringCut = await app.query(POSTS);
      expect(duringCut.status).toBe(200);
      expect(titles(duringCut)).toEqual(['Before']);
      expect(duringCut.statements).toBeGreaterThan(0);
      expect(duringCut.headers.get('x-cache')).toBeNull();
    }
    const written = await app.query(CREATE_POST, { title: 'During the cut' }, asAda);
    expect(written.errors).toBeUndefined();
    expect(written.data.createPost.id).toBeTruthy();
    const readBack = await app.query(POSTS);
    expect(titles(readBack)).toEqual(['During the cut', 'Before']);

    await proxy.restore();
    // Until the client has reconnected, reads skip the cache: only those through it can be stale.
    const deadline = Date.now() + 10_000;
    let res = await app.query(POSTS);
    while (res.headers.get('x-cache') === null && Date.now() < deadline) {
      expect(titles(res)).toEqual(['During the cut', 'Before']);
      await new Promise((resolve) => setTimeout(resolve, 50));
      res = await app.query(POSTS);
    }
    expect(res.headers.get('x-cache'), 'the cache is in use again').not.toBeNull();
    expect(titles(res)).toEqual(['During the cut', 'Before']);
  });

  test('frozen (a partition, no reset ever arrives): reads and mutations are still answered, and correctly', async () => {
    const target = new URL(REDIS_URL!);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
    const app = await startTestApp({
      env: { REDIS_URL: proxy.urlFor(REDIS_URL!), REDIS_PREFIX: `test-cache-${randomUUID()}:`, RESPONSE_CACHE_TTL_MS: '300' },
    });
    const asAda = await adaWithPost(app);
    await app.query(POSTS);

    proxy.freeze();
    const duringFreeze = await app.query(POSTS);
    expect(duringFreeze.status).toBe(200);
    expect(titles(duringFreeze)).toEqual(['Before']);
    const written = await app.query(CREATE_POST, { title: 'During the freeze' }, asAda);
    expect(written.errors).toBeUndefined();
    expect(titles(await app.query(POSTS))).toEqual(['During the freeze', 'Before']);
    // A frozen connection would hold the server's close (QUIT waits for an answer) past the hook's timeout.
    await proxy.restore();
  });
});

test('Redis unreachable from the start: every read runs on the database, and mutations succeed', async () => {
  const app = await startTestApp({ env: { REDIS_URL: `redis://127.0.0.1:${await freePort()}/0`, RESPONSE_CACHE_TTL_MS: '300' } });
  const asAda = await adaWithPost(app);
  for (let i = 0; i < 2; i++) {
    const res = await app.query(POSTS);
    expect(titles(res)).toEqual(['Before']);
    expect(res.statements).toBeGreaterThan(0);
  }
  const written = await app.query(CREATE_POST, { title: 'Without Redis' }, asAda);
  expect(written.errors).toBeUndefined();
  expect(titles(await app.query(POSTS))).toEqual(['Without Redis', 'Before']);
});

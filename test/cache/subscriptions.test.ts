// Subscription events wait for the response cache like the mutation's response does (issue 15):
// a subscriber that gets postCreated and at once asks for `posts`, on another instance, sees the
// new post, not an answer cached before it.
import { describe, expect, test } from 'vitest';
import { read, warm } from '../support/cached.js';
import { given } from '../support/given.js';
import { signIn } from '../support/sign-in.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { startTwinApps } from '../support/twin-apps.js';
import { connectWs, untilLive, type Result } from '../support/ws-client.js';

const REDIS_URL = process.env.REDIS_URL;
const POSTS = '{ posts(first: 100) { edges { node { title } } } }';
const CREATE_POST = 'mutation($title: String!) { createPost(input: { title: $title, content: "Body." }) { id } }';
const isProbe = (result: Result) => (result.data?.postCreated?.title ?? '').startsWith('probe');

describe.skipIf(!REDIS_URL)('across two instances on one Redis', () => {
  test('a subscriber told of a new post through one instance reads it at once through the other', async () => {
    const [a, b] = await startTwinApps({ redisUrl: REDIS_URL!, env: { RESPONSE_CACHE_TTL_MS: '60000' } });
    const [ada] = await given(a).users(1);
    const asAda = await signIn(a, ada!);
    const subscription = connectWs(b.url).subscribe('subscription { postCreated { title } }');
    await untilLive(subscription, (n) => a.query(CREATE_POST, { title: `probe ${n}` }, asAda), isProbe);

    for (const title of ['First', 'Second', 'Third']) {
      await warm(b, POSTS);
      const after = subscription.results.length;
      // Not awaited: the event may arrive before the response does; the read must show the post either way.
      const written = a.query(CREATE_POST, { title }, asAda);
      await subscription.waitFor((result) => result.data?.postCreated?.title === title, { after });
      const titles = (await read(b, POSTS)).posts.edges.map((edge: any) => edge.node.title);
      expect(titles[0]).toBe(title);
      expect((await written).errors).toBeUndefined();
    }
  });

  test('an event waits for an invalidation Redis is slow to take: it never arrives while a stale answer is cached', async () => {
    const target = new URL(REDIS_URL!);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
    // A reaches Redis through the proxy, B directly. A TTL long enough for the warm answer to be a hit.
    const [a, b] = await startTwinApps({
      redisUrl: REDIS_URL!,
      env: { RESPONSE_CACHE_TTL_MS: '3000' },
      onlyA: { REDIS_URL: proxy.urlFor(REDIS_URL!) },
    });
    const [ada] = await given(a).users(1);
    const asAda = await signIn(a, ada!);
    const subscription = connectWs(b.url).subscribe('subscription { postCreated { title } }');
    await untilLive(subscription, (n) => a.query(CREATE_POST, { title: `probe ${n}` }, asAda), isProbe);
    await warm(b, POSTS);

    // A's cache connection stops answering; its pub/sub connections (named by CLIENT SETNAME) go on:
    // the event could reach B at once, while B still holds the answer A cannot drop.
    proxy.freezeWhere((opening) => !/setname/i.test(opening));
    const after = subscription.results.length;
    const written = a.query(CREATE_POST, { title: 'Through a slow cache' }, asAda);
    await subscription.waitFor((result) => result.data?.postCreated?.title === 'Through a slow cache', { after, timeoutMs: 15_000 });
    const titles = (await read(b, POSTS)).posts.edges.map((edge: any) => edge.node.title);
    expect(titles[0]).toBe('Through a slow cache');
    expect((await written).errors).toBeUndefined();
    // A frozen connection would hold the server's close (QUIT waits for an answer).
    await proxy.restore();
  });
});

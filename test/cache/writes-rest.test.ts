// Read-your-writes across instances through REST (/v1 runs on the same yoga as /graphql): a write
// through instance A is seen by REST and GraphQL reads on instance B that were cached before it.
import { describe, expect, test } from 'vitest';
import { warm } from '../support/cached.js';
import { given } from '../support/given.js';
import { restClient } from '../support/rest-client.js';
import { signIn } from '../support/sign-in.js';
import { startTwinApps } from '../support/twin-apps.js';

const REDIS_URL = process.env.REDIS_URL;
const POSTS = '{ posts(first: 50) { edges { node { title likesCount } } } }';

describe.skipIf(!REDIS_URL)('across two instances on one Redis', () => {
  test('a post created and liked over REST on A shows at once in REST and GraphQL reads on B', async () => {
    const [a, b] = await startTwinApps({ redisUrl: REDIS_URL!, env: { RESPONSE_CACHE_TTL_MS: '60000' } });
    const [ada] = await given(a).users(1);
    const asAda = await signIn(a, ada!);
    const [onA, onB] = [restClient(a), restClient(b)];
    const listOnB = async () => (await onB.get('/v1/posts')).body.data.map((post: any) => [post.title, post.likes_count]);
    await onB.get('/v1/posts');
    expect((await onB.get('/v1/posts')).statements).toBe(0);
    await warm(b, POSTS);

    const created = await onA.post('/v1/posts', { headers: asAda.headers, json: { title: 'Over REST', content: 'Body.' } });
    expect(created.status).toBe(201);
    expect(await listOnB()).toEqual([['Over REST', 0]]);
    expect((await b.query(POSTS)).data.posts.edges).toEqual([{ node: { title: 'Over REST', likesCount: 0 } }]);

    const liked = await onA.put(`/v1/me/likes/${encodeURIComponent(created.body.data.id)}`, { headers: asAda.headers });
    expect(liked.status).toBe(204);
    expect(await listOnB()).toEqual([['Over REST', 1]]);
    expect((await b.query(POSTS)).data.posts.edges).toEqual([{ node: { title: 'Over REST', likesCount: 1 } }]);
  });
});

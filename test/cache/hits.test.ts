// The response cache answers a repeated query without SQL (issue 15), in memory and in Redis
// alike: X-Cache says which, the answer is the same, and RESPONSE_CACHE=false or the TTL passing
// makes the query run again.
import { describe, expect, test } from 'vitest';
import { CACHE_STORES } from '../support/cached.js';
import { given } from '../support/given.js';
import { restClient } from '../support/rest-client.js';
import { signIn } from '../support/sign-in.js';
import { startTestApp } from '../support/test-app.js';

const POSTS = '{ posts(first: 5) { edges { node { id title author { name } likesCount } } } }';
const VIEWER = '{ viewer { id name email followingCount } }';

describe.each(CACHE_STORES)('cached $store', ({ env }) => {
  test('a repeated anonymous query is answered the same, without SQL, and says HIT', async () => {
    const app = await startTestApp({ env: { ...env(), RESPONSE_CACHE_TTL_MS: '60000' } });
    await given(app).posts(3);
    const first = await app.query(POSTS);
    expect(first.headers.get('x-cache')).toBe('MISS');
    expect(first.statements).toBeGreaterThan(0);
    expect(first.headers.get('x-cache')).toBe('MISS');
    expect(first.data.posts.edges).toHaveLength(3);

    const second = await app.query(POSTS);
    expect(second.headers.get('x-cache')).toBe('HIT');
    expect(second.statements).toBe(0);
    expect(second.body.data).toEqual(first.body.data);
    // A hit is an answer like any other: it tells its cost.
    expect(second.body.extensions?.cost).toEqual(first.body.extensions?.cost);
  });

  test('a repeated query of a signed-in viewer is answered without SQL, the token check included', async () => {
    const app = await startTestApp({ env: { ...env(), RESPONSE_CACHE_TTL_MS: '60000' } });
    const ada = await given(app).user({ name: 'Ada' });
    const session = await signIn(app, ada);
    const first = await app.query(VIEWER, undefined, session);
    expect(first.headers.get('x-cache')).toBe('MISS');
    expect(first.data.viewer).toMatchObject({ name: 'Ada', email: ada.email });

    const second = await app.query(VIEWER, undefined, session);
    expect(second.headers.get('x-cache')).toBe('HIT');
    expect(second.statements).toBe(0);
    expect(second.body.data).toEqual(first.body.data);
  });

  test('the same document with other variables is another answer', async () => {
    const app = await startTestApp({ env: { ...env(), RESPONSE_CACHE_TTL_MS: '60000' } });
    const [one, two] = await given(app).posts(2);
    const byId = 'query($id: ID!) { node(id: $id) { id ... on Post { title } } }';
    await app.query(byId, { id: one!.gid });
    const other = await app.query(byId, { id: two!.gid });
    expect(other.headers.get('x-cache')).toBe('MISS');
    expect(other.data.node).toEqual({ id: two!.gid, title: two!.title });
  });

  test('a repeated REST GET is answered without SQL, and says so in X-Cache', async () => {
    const app = await startTestApp({ env: { ...env(), RESPONSE_CACHE_TTL_MS: '60000' } });
    const rest = restClient(app);
    await given(app).posts(2);
    const first = await rest.get('/v1/posts');
    expect(first.status).toBe(200);
    expect(first.statements).toBeGreaterThan(0);

    const second = await rest.get('/v1/posts');
    expect(second.status).toBe(200);
    expect(second.statements).toBe(0);
    expect(second.body.data).toEqual(first.body.data);
    expect(second.headers.get('x-cache')).toBe('HIT');
  });

  test('once the TTL has passed, the query runs again', async () => {
    const app = await startTestApp({ env: { ...env(), RESPONSE_CACHE_TTL_MS: '200' } });
    await given(app).posts(2);
    await app.query(POSTS);
    // Waiting past the TTL is the behaviour under test; nothing here measures how long anything took.
    await new Promise((resolve) => setTimeout(resolve, 400));
    const again = await app.query(POSTS);
    expect(again.headers.get('x-cache')).toBe('MISS');
    expect(again.statements).toBeGreaterThan(0);
  });
});

test('RESPONSE_CACHE=false: a repeated query always runs, and no X-Cache header is sent', async () => {
  const app = await startTestApp({ env: { RESPONSE_CACHE: 'false' } });
  await given(app).posts(2);
  for (let i = 0; i < 3; i++) {
    const res = await app.query(POSTS);
    expect(res.data.posts.edges).toHaveLength(2);
    expect(res.statements).toBeGreaterThan(0);
    expect(res.headers.get('x-cache')).toBeNull();
  }
});

// Queries over GET /graphql are revalidated (the contract's "Caching"): a strong ETag, 304 with
// no body for If-None-Match of the current one (still charged to the rate limit), Cache-Control
// by whether the answer depends on the viewer, and a new ETag once the data changes.
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { given, type GivenPost } from '../support/given.js';
import { signIn, type Session } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let post: GivenPost;
let ada: Session;
let bob: Session;

const POSTS = '{ posts(first: 2) { edges { node { id title likesCount } } } }';
const getQuery = (query: string, headers: Record<string, string> = {}, extensions?: object) => {
  const params = new URLSearchParams(query ? { query } : {});
  if (extensions) params.set('extensions', JSON.stringify(extensions));
  return app.fetch(`/graphql?${params.toString()}`, { headers: { accept: 'application/graphql-response+json', ...headers } });
};

beforeAll(async () => {
  app = await startTestApp();
  const author = await given(app).user();
  post = await given(app).post({ by: author });
  ada = await signIn(app, author);
  bob = await signIn(app, await given(app).user());
});

describe('GET /graphql', () => {
  it('answers a query with a strong ETag, no-cache and Vary: Authorization', async () => {
    const res = await getQuery(POSTS);
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('vary')).toContain('Authorization');
    expect((await res.json()).data.posts.edges).toHaveLength(1);
  });

  it('answers If-None-Match of the current ETag with 304 and no body, still charged and identified', async () => {
    const first = await getQuery(POSTS);
    const etag = first.headers.get('etag')!;
    const again = await getQuery(POSTS, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.headers.get('x-request-id')).toBeTruthy();
    expect(Number(again.headers.get('x-ratelimit-remaining'))).toBeLessThan(Number(first.headers.get('x-ratelimit-remaining')));
  });

  it('gives a new ETag, and the new data, once the data changes', async () => {
    const before = await getQuery(POSTS);
    const etag = before.headers.get('etag')!;
    const liked = await app.query(
      'mutation($id: ID!) { likePost(postId: $id) { likesCount } }',
      { id: post.gid },
      { headers: bob.headers },
    );
    expect(liked.data.likePost.likesCount).toBe(1);
    const after = await getQuery(POSTS, { 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect((await after.json()).data.posts.edges[0].node.likesCount).toBe(1);
  });

  it('marks answers to a signed-in request private, and two viewers get different ETags for their own data', async () => {
    const viewer = '{ viewer { id email } }';
    const adas = await getQuery(viewer, ada.headers);
    const bobs = await getQuery(viewer, bob.headers);
    expect(adas.headers.get('cache-control')).toBe('private, no-cache');
    expect(adas.headers.get('etag')).not.toBe(bobs.headers.get('etag'));
    // Bob's copy of Ada's ETag is not current for Bob.
    expect((await getQuery(viewer, { ...bob.headers, 'if-none-match': adas.headers.get('etag')! })).status).toBe(200);
  });

  it('revalidates an APQ-hashed query sent by its hash alone', async () => {
    const hash = createHash('sha256').update(POSTS).digest('hex');
    const apq = { persistedQuery: { version: 1, sha256Hash: hash } };
    const stored = await getQuery(POSTS, {}, apq);
    const etag = stored.headers.get('etag')!;
    expect(etag).toBeTruthy();
    const byHash = await getQuery('', { 'if-none-match': etag }, apq);
    expect(byHash.status).toBe(304);
  });

  it('does not give an answer with errors an ETag', async () => {
    const res = await getQuery('{ post(id: "not an id") { id } }');
    expect(res.headers.get('etag')).toBeNull();
  });
});

it('POST /graphql answers carry no ETag', async () => {
  const res = await app.query(POSTS);
  expect(res.status).toBe(200);
  expect(res.headers.get('etag')).toBeNull();
});

import { beforeAll, describe, expect, test } from 'vitest';
import { given, type GivenUser, type GivenPost, type GivenComment } from '../support/given.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let ada: GivenUser;
let bob: GivenUser;
let post: GivenPost;
let comment: GivenComment;

beforeAll(async () => {
  app = await startTestApp();
  const g = given(app);
  ada = await g.user({ name: 'Ada Lovelace', email: 'ada@example.com' });
  bob = await g.user({ name: 'Bob 100%_done\\ok' });
  const cy = await g.user({ name: 'Cy' });
  post = await g.post({ by: ada, title: 'Notes', content: 'On the engine.' });
  await g.post({ by: ada, title: 'More notes' });
  comment = await g.comment({ on: post, by: bob, body: 'Great read' });
  await g.comment({ on: post, by: cy });
  await g.like(bob, post);
  await g.like(cy, post);
  await g.follow(bob, ada);
  await g.follow(cy, ada);
  await g.follow(ada, bob);
});

test('a user shows every field', async () => {
  const res = await app.query(
    `query($id: ID!) { user(id: $id) {
    id name email createdAt postsCount followersCount followingCount viewerIsFollowing
    posts(first: 1) { edges { node { title } } }
    followers { edges { node { name } } }
    following { edges { node { name } } }
  } }`,
    { id: ada.gid },
  );
  expect(res.errors).toBeUndefined();
  expect(res.data.user).toEqual({
    id: ada.gid,
    name: 'Ada Lovelace',
    email: null, // visible only to Ada herself, and nobody is signed in
    createdAt: ada.createdAt.toISOString(),
    postsCount: 2,
    followersCount: 2,
    followingCount: 1,
    viewerIsFollowing: false,
    posts: { edges: [{ node: { title: 'More notes' } }] },
    followers: { edges: [{ node: { name: 'Cy' } }, { node: { name: 'Bob 100%_done\\ok' } }] },
    following: { edges: [{ node: { name: 'Bob 100%_done\\ok' } }] },
  });
});

test('a post shows every field', async () => {
  const res = await app.query(
    `query($id: ID!) { post(id: $id) {
    id title content createdAt updatedAt commentsCount likesCount viewerHasLiked
    author { id name }
    comments { edges { node { body } } }
  } }`,
    { id: post.gid },
  );
  expect(res.data.post).toEqual({
    id: post.gid,
    title: 'Notes',
    content: 'On the engine.',
    createdAt: post.createdAt.toISOString(),
    updatedAt: post.updatedAt.toISOString(),
    commentsCount: 2,
    likesCount: 2,
    viewerHasLiked: false,
    author: { id: ada.gid, name: 'Ada Lovelace' },
    comments: { edges: [{ node: { body: 'Great read' } }, { node: { body: expect.any(String) } }] },
  });
});

test('a comment shows every field', async () => {
  const res = await app.query(`query($id: ID!) { node(id: $id) { ... on Comment { id body createdAt author { name } post { title } } } }`, {
    id: comment.gid,
  });
  expect(res.data.node).toEqual({
    id: comment.gid,
    body: 'Great read',
    createdAt: comment.createdAt.toISOString(),
    author: { name: 'Bob 100%_done\\ok' },
    post: { title: 'Notes' },
  });
});

test('DateTime is ISO 8601 in UTC with milliseconds', async () => {
  const res = await app.query(`{ posts(first: 1) { edges { node { createdAt } } } }`);
  expect(res.data.posts.edges[0].node.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
});

test('counts are zero, not missing, for objects with nothing', async () => {
  const lonely = await given(app).user();
  const res = await app.query(
    `query($id: ID!) { user(id: $id) { postsCount followersCount followingCount posts { edges { cursor } pageInfo { hasNextPage endCursor } } } }`,
    { id: lonely.gid },
  );
  expect(res.data.user).toEqual({
    postsCount: 0,
    followersCount: 0,
    followingCount: 0,
    posts: { edges: [], pageInfo: { hasNextPage: false, endCursor: null } },
  });
});

test('viewer is null for an anonymous caller', async () => {
  expect((await app.query(`{ viewer { id } }`)).body).toEqual({ extensions: { cost: expect.any(Object) }, data: { viewer: null } });
});

describe('users(search:)', () => {
  const names = async (search: string | null) => {
    const res = await app.query(`query($search: String) { users(first: 100, search: $search) { edges { node { name } } } }`, { search });
    expect(res.errors).toBeUndefined();
    return res.data.users.edges.map((e: any) => e.node.name);
  };

  test('matches a substring of the name, ignoring case', async () => {
    expect(await names('LOVE')).toEqual(['Ada Lovelace']);
    expect(await names('ada lov')).toEqual(['Ada Lovelace']);
  });

  test('without a search lists every user, newest first', async () => {
    expect((await names(null)).slice(-3)).toEqual(['Cy', 'Bob 100%_done\\ok', 'Ada Lovelace']);
    expect(await names('   ')).toEqual(await names(null));
  });

  test('LIKE wildcards and backslashes are matched literally', async () => {
    expect(await names('%')).toEqual(['Bob 100%_done\\ok']);
    expect(await names('_')).toEqual(['Bob 100%_done\\ok']);
    expect(await names('\\')).toEqual(['Bob 100%_done\\ok']);
    expect(await names('%_d')).toEqual(['Bob 100%_done\\ok']);
  });

  test('finds nothing, without an error, when nothing matches', async () => {
    expect(await names('zzz-no-such-name')).toEqual([]);
    expect(await names('\ud800')).toEqual([]);
  });

  test.each([
    ['a NUL byte', 'a\u0000b'],
    ['10,000 characters', 'x'.repeat(10_000)],
  ])('%s is BAD_USER_INPUT naming search', async (_label, search) => {
    const res = await app.query(`query($search: String) { users(search: $search) { edges { cursor } } }`, { search });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', details: [{ field: 'search' }] });
  });
});

// A read's SQL is built once per shape and kept (src/db/prepared.ts). Requests that differ in one
// input that shapes the SQL (which counts, whether there is a viewer, a cursor, a search, an
// author, which side of a follow) must each get their own statement: were two shapes to share
// one, whichever ran second would answer with the first one's SQL. So each request below runs
// before and after the others on the same server, and must give the same answer every time.
import { beforeAll, expect, test } from 'vitest';
import { given, type GivenPost, type GivenUser } from '../support/given.js';
import { signIn, type Session } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let ada: GivenUser;
let newer: GivenPost;
let asBob: Session;

beforeAll(async () => {
  app = await startTestApp();
  const g = given(app);
  ada = await g.user({ name: 'Ada' });
  const bob = await g.user({ name: 'Bob' });
  const cy = await g.user({ name: 'Cy' });
  await g.post({ by: ada, title: 'Older' });
  newer = await g.post({ by: ada, title: 'Newer' });
  await g.comment({ on: newer, by: bob });
  await g.comment({ on: newer, by: cy });
  await g.like(bob, newer);
  await g.follow(bob, ada);
  await g.follow(cy, ada);
  await g.follow(ada, bob);
  asBob = await signIn(app, bob);
});

type Request = { query: string; variables?: Record<string, unknown>; session?: Session; expected: unknown };

/** Each request, then all of them again in the reverse order: every answer is its expected one. */
async function inBothOrders(requests: Request[]): Promise<void> {
  for (const request of [...requests, ...[...requests].reverse()]) {
    const res = await app.query(request.query, request.variables, { headers: request.session?.headers });
    expect(res.errors, request.query).toBeUndefined();
    expect(res.data, request.query).toEqual(request.expected);
  }
}

const titles = (...list: string[]) => ({ posts: { edges: list.map((title) => ({ node: { title } })) } });

test('each count has its own statement, loaded or carried with a page', async () => {
  await inBothOrders([
    {
      query: `query($id: ID!) { post(id: $id) { commentsCount } }`,
      variables: { id: newer.gid },
      expected: { post: { commentsCount: 2 } },
    },
    { query: `query($id: ID!) { post(id: $id) { likesCount } }`, variables: { id: newer.gid }, expected: { post: { likesCount: 1 } } },
    {
      query: `query($id: ID!) { user(id: $id) { followersCount followingCount postsCount } }`,
      variables: { id: ada.gid },
      expected: { user: { followersCount: 2, followingCount: 1, postsCount: 2 } },
    },
    { query: `{ posts(first: 1) { edges { node { commentsCount } } } }`, expected: { posts: { edges: [{ node: { commentsCount: 2 } }] } } },
    { query: `{ posts(first: 1) { edges { node { likesCount } } } }`, expected: { posts: { edges: [{ node: { likesCount: 1 } }] } } },
  ]);
});

test('flags read with a viewer are not those read without one, nor each other', async () => {
  const flags = `query($id: ID!) { post(id: $id) { viewerHasLiked author { viewerIsFollowing } } }`;
  const carried = `{ posts(first: 1) { edges { node { viewerHasLiked author { viewerIsFollowing } } } } }`;
  const page = (flag: boolean) => ({ posts: { edges: [{ node: { viewerHasLiked: flag, author: { viewerIsFollowing: flag } } }] } });
  await inBothOrders([
    { query: flags, variables: { id: newer.gid }, expected: { post: { viewerHasLiked: false, author: { viewerIsFollowing: false } } } },
    {
      query: flags,
      variables: { id: newer.gid },
      session: asBob,
      expected: { post: { viewerHasLiked: true, author: { viewerIsFollowing: true } } },
    },
    { query: carried, expected: page(false) },
    { query: carried, session: asBob, expected: page(true) },
  ]);
});

test('a page after a cursor, a page with its authors and a search are statements of their own', async () => {
  const first = await app.query(`{ posts(first: 1) { pageInfo { endCursor } } }`);
  const after = first.data.posts.pageInfo.endCursor;
  await inBothOrders([
    { query: `{ posts(first: 1) { edges { node { title } } } }`, expected: titles('Newer') },
    {
      query: `query($after: String) { posts(first: 1, after: $after) { edges { node { title } } } }`,
      variables: { after },
      expected: titles('Older'),
    },
    {
      query: `{ posts(first: 1) { edges { node { title author { name } } } } }`,
      expected: { posts: { edges: [{ node: { title: 'Newer', author: { name: 'Ada' } } }] } },
    },
    {
      query: `{ users(first: 10) { edges { node { name } } } }`,
      expected: { users: { edges: ['Cy', 'Bob', 'Ada'].map((name) => ({ node: { name } })) } },
    },
    { query: `{ users(first: 10, search: "b") { edges { node { name } } } }`, expected: { users: { edges: [{ node: { name: 'Bob' } }] } } },
  ]);
});

test('followers and following are statements of their own', async () => {
  const names = (...list: string[]) => ({ edges: list.map((name) => ({ node: { name } })) });
  await inBothOrders([
    {
      query: `query($id: ID!) { user(id: $id) { followers(first: 5) { edges { node { name } } } } }`,
      variables: { id: ada.gid },
      expected: { user: { followers: names('Cy', 'Bob') } },
    },
    {
      query: `query($id: ID!) { user(id: $id) { following(first: 5) { edges { node { name } } } } }`,
      variables: { id: ada.gid },
      expected: { user: { following: names('Bob') } },
    },
  ]);
});

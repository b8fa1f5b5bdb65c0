// A user(id), post(id) or node(id) reads the pages of its connections in the statement that reads
// it (src/schema/carried-reads.ts). Those pages must be exactly what the same connections answer
// when read the other way, by the LATERAL statement for many parents (here: under a page of
// users or posts): the same rows, counts, flags, timestamps, cursors and pageInfo.
import { beforeAll, expect, test } from 'vitest';
import { given, type GivenPost, type GivenUser } from '../support/given.js';
import { signIn, type Session } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let star: GivenUser;
let fan: GivenUser;
let starPosts: GivenPost[];
let session: Session;

beforeAll(async () => {
  // A page of users with all their pages is the reference: more than the default cost and rate limits allow.
  app = await startTestApp({ env: { MAX_COST: '1000000', RATE_LIMIT_POINTS: '100000000' } });
  const g = given(app);
  const people = await g.users(6);
  [star, fan] = people as [GivenUser, GivenUser];
  starPosts = [];
  for (let i = 0; i < 5; i++) {
    const post = await g.post({ by: star });
    starPosts.push(post);
    for (let c = 0; c < 2 + (i % 3); c++) await g.comment({ on: post, by: people[(i + c + 1) % people.length]! });
    if (i % 2) await g.like(fan, post);
  }
  for (const other of people.slice(1)) await g.follow(other, star);
  for (const other of people.slice(2, 5)) await g.follow(star, other);
  await g.follow(fan, people[2]!);
  session = await signIn(app, fan);
});

const USER_FIELDS = `id name createdAt followersCount followingCount postsCount viewerIsFollowing`;
const PAGE_INFO = `pageInfo { hasNextPage hasPreviousPage startCursor endCursor }`;
const POST_FIELDS = `id title createdAt updatedAt commentsCount likesCount viewerHasLiked author { name }`;
const COMMENT_FIELDS = `id body createdAt author { ${USER_FIELDS} }`;

// Every connection of a user, twice with different pages: the second starts after a cursor.
const USER_PAGES = `
  ${USER_FIELDS}
  posts(first: 2) { edges { cursor node { ${POST_FIELDS} } } ${PAGE_INFO} }
  later: posts(first: 2, after: $after) { edges { cursor node { ${POST_FIELDS} } } ${PAGE_INFO} }
  followers(first: 3) { edges { cursor node { ${USER_FIELDS} } } ${PAGE_INFO} }
  following(first: 10) { edges { cursor node { ${USER_FIELDS} } } ${PAGE_INFO} }`;

const POST_PAGES = `
  ${POST_FIELDS}
  comments(first: 2) { edges { cursor node { ${COMMENT_FIELDS} } } ${PAGE_INFO} }
  all: comments(first: 10) { edges { cursor node { ${COMMENT_FIELDS} } } ${PAGE_INFO} }`;

/** The star's connections as a page of users reads them: LATERAL, one statement per page for all users. */
async function starReadAmongUsers(after: string) {
  const res = await app.query(`query($after: String) { users(first: 20) { edges { node { ${USER_PAGES} } } } }`, { after }, session);
  expect(res.errors).toBeUndefined();
  return res.data.users.edges.map((edge: any) => edge.node).find((user: any) => user.id === star.gid);
}

/** A cursor into the star's posts: after their newest. */
async function afterNewest(): Promise<string> {
  const res = await app.query(`query($id: ID!) { user(id: $id) { posts(first: 1) { pageInfo { endCursor } } } }`, { id: star.gid });
  return res.data.user.posts.pageInfo.endCursor;
}

test('a user read with their pages answers what a page of users answers for them', async () => {
  const after = await afterNewest();
  const res = await app.query(`query($id: ID!, $after: String) { user(id: $id) { ${USER_PAGES} } }`, { id: star.gid, after }, session);
  expect(res.errors).toBeUndefined();
  // the token check, then the user with all four pages
  expect(res.statements).toBe(2);
  expect(res.data.user.later.pageInfo.hasPreviousPage).toBe(true);
  expect(res.data.user.posts.edges.some((edge: any) => edge.node.viewerHasLiked)).toBe(true);
  expect(res.data.user).toEqual(await starReadAmongUsers(after));
});

test('the viewer and a node read with their pages answer as a page of users does', async () => {
  const after = await afterNewest();
  const expected = await starReadAmongUsers(after);
  const node = await app.query(
    `query($id: ID!, $after: String) { node(id: $id) { ... on User { ${USER_PAGES} } } }`,
    { id: star.gid, after },
    session,
  );
  expect(node.data.node).toEqual(expected);
  const asStar = await signIn(app, star);
  const viewer = await app.query(`query($after: String) { viewer { ${USER_PAGES} } }`, { after }, asStar);
  const starsOwn = await app.query(`query($after: String) { users(first: 20) { edges { node { ${USER_PAGES} } } } }`, { after }, asStar);
  expect(viewer.data.viewer).toEqual(starsOwn.data.users.edges.map((edge: any) => edge.node).find((user: any) => user.id === star.gid));
});

test('a post read with its comments answers what a page of posts answers for it', async () => {
  const pageOfPosts = await app.query(`{ posts(first: 20) { edges { node { ${POST_PAGES} } } } }`, {}, session);
  for (const post of [starPosts[0]!, starPosts[4]!]) {
    const res = await app.query(`query($id: ID!) { post(id: $id) { ${POST_PAGES} } }`, { id: post.gid }, session);
    expect(res.errors).toBeUndefined();
    expect(res.statements).toBe(2);
    expect(res.data.post).toEqual(pageOfPosts.data.posts.edges.map((edge: any) => edge.node).find((node: any) => node.id === post.gid));
  }
});

test('a page under @include or @skip answers as it does without them', async () => {
  const query = `query($id: ID!, $yes: Boolean!) { user(id: $id) {
    posts(first: 2) @include(if: $yes) { edges { node { title } } }
    ... @skip(if: $yes) { followers(first: 2) { edges { node { name } } } }
    followers(first: 2) { edges { node { id } } }
  } }`;
  const shown = await app.query(query, { id: star.gid, yes: true });
  const hidden = await app.query(query, { id: star.gid, yes: false });
  const plain = await app.query(
    `query($id: ID!) { user(id: $id) { posts(first: 2) { edges { node { title } } } followers(first: 2) { edges { node { id name } } } } }`,
    { id: star.gid },
  );
  const ids = { edges: plain.data.user.followers.edges.map((edge: any) => ({ node: { id: edge.node.id } })) };
  expect(shown.data.user).toEqual({ posts: plain.data.user.posts, followers: ids });
  expect(hidden.data.user).toEqual({ followers: plain.data.user.followers });
});

test('a user or post that does not exist, asked with its pages, is null', async () => {
  const missingUser = Buffer.from('User:999999').toString('base64');
  const missingPost = Buffer.from('Post:999999').toString('base64');
  const res = await app.query(
    `query($u: ID!, $p: ID!) {
      user(id: $u) { name posts(first: 2) { edges { node { title } } } }
      post(id: $p) { title comments(first: 2) { edges { node { body } } } }
      node(id: $u) { ... on User { followers(first: 2) { edges { node { name } } } } }
    }`,
    { u: missingUser, p: missingPost },
  );
  expect(res.errors).toBeUndefined();
  expect(res.data).toEqual({ user: null, post: null, node: null });
});

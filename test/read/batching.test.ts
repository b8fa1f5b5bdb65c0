// Statement counts per request: the number of SQL statements must not grow with page sizes.
// A changed count here is a batching regression (or an improvement: then lower the number).
import { beforeAll, describe, expect, test } from 'vitest';
import { given, type GivenPost, type GivenUser } from '../support/given.js';
import { signIn } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let star: GivenUser;
let fan: GivenUser;
let starPost: GivenPost;

beforeAll(async () => {
  // Statement counts at first: 50: bigger than the default cost limit allows.
  app = await startTestApp({ env: { MAX_COST: '1000000', RATE_LIMIT_POINTS: '100000000' } });
  const g = given(app);
  const people = await g.users(12);
  star = people[0]!;
  fan = people[3]!;
  // 8 posts by different authors, each with 8 comments by yet others, likes, and follows both ways:
  // more than 5 of everything, so that first: 5 and first: 50 really return different pages.
  for (let i = 0; i < 8; i++) {
    const post = await g.post({ by: i % 2 ? star : people[i]! });
    starPost = i % 2 ? post : starPost;
    for (let c = 0; c < 8; c++) await g.comment({ on: post, by: people[(i + c + 1) % people.length]! });
    for (let l = 0; l < 3; l++) await g.like(people[(i + l + 2) % people.length]!, post);
  }
  for (const fan of people.slice(1)) {
    await g.follow(fan, star);
    await g.follow(star, fan);
  }
});

const POSTS_WITH_COMMENTS = `query($first: Int) {
  posts(first: $first) { edges { node {
    title author { name }
    comments(first: $first) { edges { node { body author { name } } } }
  } } }
}`;

const FEED_LIKE = `query($first: Int) {
  posts(first: $first) { edges { node {
    title createdAt commentsCount likesCount viewerHasLiked
    author { name followersCount }
    comments(first: 3) { edges { node { body author { name } } } }
  } } }
}`;

const PROFILE = `query($id: ID!, $first: Int) {
  user(id: $id) {
    name followersCount
    posts(first: $first) { edges { node { title commentsCount } } }
    followers(first: $first) { edges { node { name followersCount } } }
    following(first: $first) { edges { node { name postsCount followingCount } } }
  }
}`;

// The bench's profile (bench/lib/operations.mjs), with its page size a variable.
const BENCH_PROFILE = `query($id: ID!, $first: Int) {
  user(id: $id) {
    name followersCount
    posts(first: $first) { edges { node { title commentsCount } } }
    followers(first: $first) { edges { node { name followersCount } } }
  }
}`;

const POST_WITH_COMMENTS = `query($id: ID!, $first: Int) {
  post(id: $id) { title comments(first: $first) { edges { node { body author { name } } } } }
}`;

const TWO_PROFILES = `query($a: ID!, $b: ID!, $first: Int) {
  a: user(id: $a) { name posts(first: $first) { edges { node { title } } } followers(first: 2) { edges { node { name } } } }
  b: user(id: $b) { followers(first: 2) { edges { node { name } } } name posts(first: $first) { edges { node { title } } } }
}`;

const NODE_WITH_PAGES = `query($id: ID!, $first: Int) {
  node(id: $id) { ... on User { followers(first: $first) { edges { node { name } } } following(first: 2) { edges { node { name } } } } }
}`;

const cases = [
  // posts page with their authors; every post's comment page with its authors
  { name: 'posts with their comments and authors', query: POSTS_WITH_COMMENTS, variables: {}, statements: 2 },
  // posts page with their counts, viewer flags, authors and authors' follower counts; comment pages with their authors
  { name: 'a feed-like page', query: FEED_LIKE, variables: {}, statements: 2 },
  // the user with their followers count, carrying their posts page (with comments counts), their
  // followers page (with follower counts) and their following page (with posts and following counts)
  { name: 'a profile', query: PROFILE, variables: () => ({ id: star.gid }), statements: 1 },
  { name: "the bench's profile", query: BENCH_PROFILE, variables: () => ({ id: star.gid }), statements: 1 },
  // the post carrying its comments page, joined with the comments' authors
  { name: 'a post with its comments', query: POST_WITH_COMMENTS, variables: () => ({ id: starPost.gid }), statements: 1 },
  // both users, each carrying their posts and followers pages: asked alike (in any order), they are read together
  { name: 'two users with their posts', query: TWO_PROFILES, variables: () => ({ a: star.gid, b: fan.gid }), statements: 1 },
  { name: 'a node with its pages', query: NODE_WITH_PAGES, variables: () => ({ id: star.gid }), statements: 1 },
];

describe.each(cases)('$name', ({ query, variables, statements }) => {
  test.each([5, 50])(`first: %i costs ${statements} statements`, async (first) => {
    const vars = typeof variables === 'function' ? variables() : variables;
    const res = await app.query(query, { ...vars, first });
    expect(res.errors).toBeUndefined();
    expect(res.statements).toBe(statements);
  });
});

test('a signed-in bench profile costs the token check and one statement', async () => {
  const session = await signIn(app, fan);
  for (const first of [5, 50]) {
    const res = await app.query(BENCH_PROFILE, { id: star.gid, first }, session);
    expect(res.errors).toBeUndefined();
    expect(res.data.user.followers.edges).toHaveLength(first === 5 ? 5 : 11);
    expect(res.statements).toBe(2);
  }
});

test('counts and flags carried with a page are what each object answers on its own', async () => {
  // people[3] likes some posts and follows the star: their flags must differ from post to post.
  const session = await signIn(app, fan);
  const page = await app.query(
    `{ posts(first: 8) { edges { node {
    id commentsCount likesCount viewerHasLiked
    author { id followersCount followingCount postsCount viewerIsFollowing }
  } } } users(first: 12) { edges { node { id followersCount followingCount postsCount viewerIsFollowing } } } }`,
    {},
    session,
  );
  expect(page.errors).toBeUndefined();
  const carried = [...page.data.posts.edges.map((e: any) => e.node), ...page.data.users.edges.map((e: any) => e.node)];
  const me = await app.query(`{ viewer { id followersCount followingCount postsCount viewerIsFollowing } }`, {}, session);
  carried.push(me.data.viewer);
  expect(carried.some((post: any) => post.viewerHasLiked === true)).toBe(true);
  expect(carried.some((post: any) => post.viewerHasLiked === false)).toBe(true);
  // Asked through node(id) one object per request, each value comes from its own loader.
  for (const expected of carried) {
    const alone = await app.query(
      `query($id: ID!) { node(id: $id) {
      ... on Post { id commentsCount likesCount viewerHasLiked author { id followersCount followingCount postsCount viewerIsFollowing } }
      ... on User { id followersCount followingCount postsCount viewerIsFollowing }
    } }`,
      { id: expected.id },
      session,
    );
    expect(alone.data.node).toEqual(expected);
  }
});

test('the page sizes really differ between first: 5 and first: 50', async () => {
  const small = await app.query(POSTS_WITH_COMMENTS, { first: 5 });
  const large = await app.query(POSTS_WITH_COMMENTS, { first: 50 });
  expect(small.data.posts.edges).toHaveLength(5);
  expect(large.data.posts.edges).toHaveLength(8);
  expect(small.data.posts.edges[0].node.comments.edges).toHaveLength(5);
  expect(large.data.posts.edges[0].node.comments.edges).toHaveLength(8);
});

test('two aliases asking different pages of the same comments each get their own page', async () => {
  const res = await app.query(`{ posts(first: 3) { edges { node {
    firstTwo: comments(first: 2) { edges { node { body } } }
    firstSix: comments(first: 6) { edges { node { body } } pageInfo { hasNextPage } }
    all: comments(first: 50) { edges { node { body } } pageInfo { hasNextPage } }
  } } } }`);
  expect(res.errors).toBeUndefined();
  for (const { node } of res.data.posts.edges) {
    const all = node.all.edges.map((e: any) => e.node.body);
    expect(all).toHaveLength(8);
    expect(node.firstTwo.edges.map((e: any) => e.node.body)).toEqual(all.slice(0, 2));
    expect(node.firstSix.edges.map((e: any) => e.node.body)).toEqual(all.slice(0, 6));
    expect(node.firstSix.pageInfo.hasNextPage).toBe(true);
    expect(node.all.pageInfo.hasNextPage).toBe(false);
  }
  // posts page + one statement per distinct comment page shape
  expect(res.statements).toBe(4);
});

test('aliases with different cursors on the same parents each get their own page', async () => {
  const first = await app.query(`{ posts(first: 1) { edges { node { id comments(first: 2) { pageInfo { endCursor } } } } } }`);
  const { id, comments } = first.data.posts.edges[0].node;
  const res = await app.query(
    `query($id: ID!, $after: String) { post(id: $id) {
    start: comments(first: 2) { edges { node { body } } }
    next: comments(first: 2, after: $after) { edges { node { body } } }
    both: comments(first: 4) { edges { node { body } } }
  } }`,
    { id, after: comments.pageInfo.endCursor },
  );
  const bodies = (c: any) => c.edges.map((e: any) => e.node.body);
  const { start, next, both } = res.data.post;
  expect([...bodies(start), ...bodies(next)]).toEqual(bodies(both));
});

test('the same object asked twice in one request is loaded once', async () => {
  const res = await app.query(`query($id: ID!) { a: user(id: $id) { name } b: user(id: $id) { name } c: node(id: $id) { id } }`, {
    id: star.gid,
  });
  expect(res.statements).toBe(1);
});

test('a deep page costs what the first page costs', async () => {
  const page1 = await app.query(`{ posts(first: 2) { edges { node { title } } pageInfo { endCursor } } }`);
  const page2 = await app.query(`query($after: String) { posts(first: 2, after: $after) { edges { node { title } } } }`, {
    after: page1.data.posts.pageInfo.endCursor,
  });
  expect(page2.statements).toBe(page1.statements);
});

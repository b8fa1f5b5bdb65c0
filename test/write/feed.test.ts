// Query.feed: the viewer's own posts and those of everyone they follow, newest first, in keyset
// pages; following and unfollowing change it at once; its statement count does not grow with first.
import { beforeAll, describe, expect, test } from 'vitest';
import { given, type GivenUser, type Given } from '../support/given.js';
import { errorOf, signIn, type Session } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

type User = GivenUser;
let app: TestApp;
let g: Given;
beforeAll(async () => {
  // Whole feeds at first: 100 with their authors: bigger than the default cost limit allows.
  // RESPONSE_CACHE=false: follows and posts are written straight into the database (given)
  // between reads, around the API: no cache can know of those writes.
  app = await startTestApp({ env: { MAX_COST: '1000000', RATE_LIMIT_POINTS: '100000000', RESPONSE_CACHE: 'false' } });
  g = given(app);
});

const FEED = `query($first: Int, $after: String) {
  feed(first: $first, after: $after) { edges { node { id author { id } } } pageInfo { hasNextPage endCursor } }
}`;

/** Viewer `me` follows `a` and `b`, not `c`; each of the four wrote `each` posts, interleaved in time. */
async function scene(each = 3) {
  const [me, a, b, c] = (await g.users(4)) as [User, User, User, User];
  await g.follow(me, a);
  await g.follow(me, b);
  const posts = [];
  for (let i = 0; i < each; i++) for (const by of [me, a, b, c]) posts.push(await g.post({ by }));
  return { me, a, b, c, posts, session: await signIn(app, me) };
}

async function feedIds(session: Session, first = 100): Promise<string[]> {
  const res = await app.query(FEED, { first }, session);
  expect(res.errors).toBeUndefined();
  return res.data.feed.edges.map((e: any) => e.node.id);
}

test("holds the viewer's own and followed users' posts, newest first, and nobody else's", async () => {
  const { c, posts, session } = await scene();
  const expected = posts
    .filter((p) => p.authorId !== c.id)
    .reverse()
    .map((p) => p.gid);
  expect(await feedIds(session)).toEqual(expected);
});

test('pages walk the whole feed once, and a post written meanwhile neither repeats nor hides one', async () => {
  const { a, session } = await scene();
  const all = await feedIds(session);
  const walked: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < 20; page++) {
    const res: any = await app.query(FEED, { first: 2, after }, session);
    walked.push(...res.data.feed.edges.map((e: any) => e.node.id));
    if (page === 0) await g.post({ by: a }); // newer than everything: belongs before the first page
    if (!res.data.feed.pageInfo.hasNextPage) break;
    after = res.data.feed.pageInfo.endCursor;
  }
  expect(walked).toEqual(all);
});

test('a viewer following more than 100 users gets the same feed, in the same pages', async () => {
  // Past 100 followees the feed walks all posts instead of seeking each followee's (model/posts.ts):
  // the answer, and every page boundary, must not depend on which plan ran.
  const [me, stranger, ...followed] = (await g.users(106)) as User[];
  const posts = [];
  for (const [i, by] of [me!, stranger!, ...followed.slice(0, 4), ...followed.slice(-2)].entries()) {
    posts.push(await g.post({ by }), await g.post({ by }));
    if (i === 3) posts.push(await g.post({ by: me! }));
  }
  const session = await signIn(app, me!);
  for (const user of followed.slice(0, 100)) await g.follow(me!, user);
  const expectedFew = posts
    .filter((p) => p.authorId === me!.id || followed.slice(0, 100).some((u) => u.id === p.authorId))
    .reverse()
    .map((p) => p.gid);
  const walk = async () => {
    const ids: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 20; page++) {
      const res: any = await app.query(FEED, { first: 3, after }, session);
      ids.push(...res.data.feed.edges.map((e: any) => e.node.id));
      if (!res.data.feed.pageInfo.hasNextPage) break;
      after = res.data.feed.pageInfo.endCursor;
    }
    return ids;
  };
  expect(await walk()).toEqual(expectedFew); // 100 followees: a seek per followee

  for (const user of followed.slice(100)) await g.follow(me!, user);
  const expectedMany = posts
    .filter((p) => p.authorId !== stranger!.id)
    .reverse()
    .map((p) => p.gid);
  expect(await feedIds(session)).toEqual(expectedMany); // 104 followees: the walk
  expect(await walk()).toEqual(expectedMany);
});

test('anonymous is UNAUTHENTICATED', async () => {
  const res = await app.query(FEED, { first: 5 });
  expect(res.data).toBeNull();
  expect(errorOf(res).code).toBe('UNAUTHENTICATED');
});

test("unfollowing removes that user's posts from the feed; following adds them", async () => {
  const { a, c, session } = await scene(2);
  const authorsOf = async () => new Set((await app.query(FEED, { first: 100 }, session)).data.feed.edges.map((e: any) => e.node.author.id));

  await app.query(`mutation($id: ID!) { unfollowUser(userId: $id) { id } }`, { id: a.gid }, session);
  expect(await authorsOf()).not.toContain(a.gid);

  await app.query(`mutation($id: ID!) { followUser(userId: $id) { id } }`, { id: c.gid }, session);
  expect(await authorsOf()).toContain(c.gid);
});

test('a post the viewer writes is at the top of their feed at once, and of their followers', async () => {
  const { me, session } = await scene(1);
  const follower = await g.user();
  await g.follow(follower, me);
  const res = await app.query(`mutation { createPost(input: { title: "Fresh", content: "Just now" }) { id } }`, undefined, session);
  const id = res.data.createPost.id;
  expect((await feedIds(session))[0]).toBe(id);
  expect((await feedIds(await signIn(app, follower)))[0]).toBe(id);
});

describe('statement count of a feed page', () => {
  const FEED_PAGE = `query($first: Int) { feed(first: $first) { edges { node {
    title createdAt commentsCount likesCount viewerHasLiked
    author { name followersCount }
    comments(first: 3) { edges { node { body author { name } } } }
  } } } }`;

  let session: Session;
  beforeAll(async () => {
    const { me, a, b, c, posts } = await scene(4);
    for (const [i, post] of posts.entries()) {
      await g.comment({ on: post, by: [a, b, c][i % 3]! });
      await g.comment({ on: post, by: me });
      if (i % 2) await g.like(me, post);
    }
    session = await signIn(app, me);
  });

  test.each([5, 50])('first: %i costs the same statements', async (first) => {
    const res = await app.query(FEED_PAGE, { first }, session);
    expect(res.errors).toBeUndefined();
    expect(res.data.feed.edges).toHaveLength(first === 5 ? 5 : 12);
    // the viewer (token check); the feed page, carrying its counts, the viewer's likes and the
    // authors with their follower counts; the comment pages with their authors
    expect(res.statements).toBe(3);
  });
});

// order: NEWEST_FIRST | OLDEST_FIRST on the three lists of posts (Query.posts, User.posts,
// Query.feed): both orders, keyset pages in either while posts are published, pages read with
// their user, and statement counts that do not depend on the order.
import { beforeAll, describe, expect, test } from 'vitest';
import { given, type Given, type GivenPost, type GivenUser } from '../support/given.js';
import { signIn, type Session } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let g: Given;
let me: GivenUser;
let friend: GivenUser;
let stranger: GivenUser;
let session: Session;
/** Every post of the scene, oldest first (given's clock ticks forward). */
let scene: GivenPost[];

beforeAll(async () => {
  // Statement counts at first: 50 with comments: bigger than the default cost limit allows.
  // RESPONSE_CACHE=false: posts are published straight into the database (given) between the
  // pages of a walk, around the API: no cache can know of those writes.
  app = await startTestApp({ env: { MAX_COST: '1000000', RATE_LIMIT_POINTS: '100000000', RESPONSE_CACHE: 'false' } });
  g = given(app);
  [me, friend, stranger] = (await g.users(3)) as [GivenUser, GivenUser, GivenUser];
  await g.follow(me, friend);
  scene = [];
  for (let i = 0; i < 4; i++) {
    for (const by of [me, friend, stranger]) {
      const post = await g.post({ by });
      await g.comment({ on: post, by: stranger });
      scene.push(post);
    }
  }
  session = await signIn(app, me);
});

const PAGE = `edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }`;

/** One of the three lists, read with `order` (omitted when undefined) from `after`. */
type List = { name: string; read: (args: { first: number; after?: string | null; order?: string | null }) => Promise<any> };

const LISTS: List[] = [
  {
    name: 'posts',
    read: async (args) => {
      const res = await app.query(
        `query($first: Int, $after: String, $order: PostOrder) { posts(first: $first, after: $after, order: $order) { ${PAGE} } }`,
        args,
      );
      expect(res.errors).toBeUndefined();
      return res.data.posts;
    },
  },
  {
    name: "a user's posts",
    read: async (args) => {
      const query = `query($id: ID!, $first: Int, $after: String, $order: PostOrder) { user(id: $id) { posts(first: $first, after: $after, order: $order) { ${PAGE} } } }`;
      const res = await app.query(query, { id: friend.gid, ...args });
      expect(res.errors).toBeUndefined();
      return res.data.user.posts;
    },
  },
  { name: 'the feed', read: (args) => readFeed(args, session) },
];

async function readFeed(args: Record<string, unknown>, viewer: Session) {
  const query = `query($first: Int, $after: String, $order: PostOrder) { feed(first: $first, after: $after, order: $order) { ${PAGE} } }`;
  const res = await app.query(query, args, viewer);
  expect(res.errors).toBeUndefined();
  return res.data.feed;
}

/** What each list holds of `posts`, oldest first. */
const HOLDS: Record<string, (post: GivenPost) => boolean> = {
  posts: () => true,
  "a user's posts": (post) => post.authorId === friend.id,
  'the feed': (post) => post.authorId === me.id || post.authorId === friend.id,
};

const idsOf = (connection: any): string[] => connection.edges.map((edge: any) => edge.node.id);

/** Every page of a list, `first` at a time; `between` runs after each page but the last. */
async function walk(list: List, order: string, first: number, between?: (page: number) => Promise<void>) {
  const ids: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < 50; page++) {
    const connection = await list.read({ first, after, order });
    ids.push(...idsOf(connection));
    expect(connection.pageInfo.hasPreviousPage).toBe(after !== null);
    if (!connection.pageInfo.hasNextPage) return ids;
    await between?.(page);
    after = connection.pageInfo.endCursor;
  }
  throw new Error('pagination did not end');
}

describe.each(LISTS)('$name', (list) => {
  test('OLDEST_FIRST lists the posts oldest first, NEWEST_FIRST newest first', async () => {
    const oldestFirst = scene.filter(HOLDS[list.name]!).map((post) => post.gid);
    expect(idsOf(await list.read({ first: 100, order: 'OLDEST_FIRST' }))).toEqual(oldestFirst);
    expect(idsOf(await list.read({ first: 100, order: 'NEWEST_FIRST' }))).toEqual([...oldestFirst].reverse());
  });

  test('without an order, or with a null one, the list is newest first as before', async () => {
    const newestFirst = idsOf(await list.read({ first: 100, order: 'NEWEST_FIRST' }));
    expect(idsOf(await list.read({ first: 100 }))).toEqual(newestFirst);
    expect(idsOf(await list.read({ first: 100, order: null }))).toEqual(newestFirst);
  });

  test('a cursor of a newest-first page, used oldest first, starts after that post the other way', async () => {
    const newest = await list.read({ first: 3, order: 'NEWEST_FIRST' });
    const later = await list.read({ first: 100, after: newest.pageInfo.endCursor, order: 'OLDEST_FIRST' });
    // After the third newest, oldest first: the two newer ones, the second newest first.
    expect(idsOf(later)).toEqual(idsOf(newest).slice(0, 2).reverse());
  });
});

describe.each(LISTS)('walking $name oldest first while posts are published', (list) => {
  test('never repeats or skips an older post, and the new ones come at the end, oldest first', async () => {
    const before = idsOf(await list.read({ first: 100, order: 'OLDEST_FIRST' }));
    const published: string[] = [];
    const walked = await walk(list, 'OLDEST_FIRST', 2, async (page) => {
      if (page % 2 === 0) published.push((await g.post({ by: friend })).gid);
    });
    expect(published.length).toBeGreaterThan(1);
    expect(walked).toEqual([...before, ...published]);
  });
});

describe('pages of both orders in one operation', () => {
  test('two aliases in the two orders each get their own page', async () => {
    const res = await app.query(`{
      newest: posts(first: 2, order: NEWEST_FIRST) { edges { node { id } } }
      oldest: posts(first: 2, order: OLDEST_FIRST) { edges { node { id } } }
    }`);
    const all = idsOf((await app.query(`{ posts(first: 100, order: OLDEST_FIRST) { edges { node { id } } } }`)).data.posts);
    expect(idsOf(res.data.newest)).toEqual(all.slice(-2).reverse());
    expect(idsOf(res.data.oldest)).toEqual(all.slice(0, 2));
  });

  test('a user read with their posts in both orders answers what a page of users answers for them', async () => {
    const fields = `name
      oldest: posts(first: 2, order: OLDEST_FIRST) { ${PAGE} }
      newest: posts(first: 2) { ${PAGE} }
      later: posts(first: 2, after: $after, order: OLDEST_FIRST) { ${PAGE} }`;
    const first = await app.query(`query($id: ID!) { user(id: $id) { posts(first: 1, order: OLDEST_FIRST) { ${PAGE} } } }`, {
      id: friend.gid,
    });
    const after = first.data.user.posts.pageInfo.endCursor;
    // Read with the user (one statement carries the user and their three pages)…
    const carried = await app.query(`query($id: ID!, $after: String) { user(id: $id) { ${fields} } }`, { id: friend.gid, after });
    expect(carried.errors).toBeUndefined();
    expect(carried.statements).toBe(1);
    // …and under a page of users (one LATERAL statement per distinct page, for every user).
    const amongUsers = await app.query(`query($after: String) { users(first: 20) { edges { node { id ${fields} } } } }`, { after });
    expect(amongUsers.errors).toBeUndefined();
    const { id: _id, ...expected } = amongUsers.data.users.edges.map((edge: any) => edge.node).find((user: any) => user.id === friend.gid);
    expect(carried.data.user).toEqual(expected);
    const friendsPosts = scene.filter((post) => post.authorId === friend.id).map((post) => post.gid);
    expect(idsOf(carried.data.user.oldest)).toEqual(friendsPosts.slice(0, 2));
    expect(idsOf(carried.data.user.later)).toEqual(friendsPosts.slice(1, 3));
    expect(idsOf(carried.data.user.newest)).toEqual(idsOf(await LISTS[1]!.read({ first: 2 })));
  });
});

describe('statements', () => {
  const POSTS = `query($first: Int, $order: PostOrder) {
    posts(first: $first, order: $order) { edges { node {
      title author { name postsCount } comments(first: $first) { edges { node { body author { name } } } }
    } } }
  }`;
  const USERS = `query($first: Int, $order: PostOrder) {
    users(first: $first) { edges { node { name posts(first: $first, order: $order) { edges { node { title commentsCount } } } } } }
  }`;
  const PROFILE = `query($id: ID!, $first: Int, $order: PostOrder) {
    user(id: $id) { name posts(first: $first, order: $order) { edges { node { title likesCount author { name } } } } }
  }`;
  const FEED = `query($first: Int, $order: PostOrder) {
    feed(first: $first, order: $order) { edges { node { title author { name } comments(first: 3) { edges { node { body } } } } } }
  }`;

  // Each count starts with the token check of the signed-in session.
  test.each([
    // the posts carrying their authors, every comment page with its authors
    { name: 'a page of posts with authors and comments', query: POSTS, statements: 3 },
    // the users, every user's posts page
    { name: "a page of users with each one's posts", query: USERS, statements: 3 },
    // the user carrying their posts page
    { name: "a profile with the user's posts", query: PROFILE, statements: 2 },
    // the feed carrying its authors, every comment page
    { name: 'the feed with authors and comments', query: FEED, statements: 3 },
  ])('$name reads as many statements in either order, whatever its page size', async ({ query, statements }) => {
    for (const order of ['NEWEST_FIRST', 'OLDEST_FIRST']) {
      for (const first of [5, 50]) {
        const res = await app.query(query, { id: friend.gid, first, order }, session);
        expect(res.errors).toBeUndefined();
        expect(res.statements).toBe(statements);
      }
    }
  });

  test('the order does not change what a list costs', async () => {
    const query = `query($order: PostOrder) { posts(first: 20, order: $order) { edges { node { title comments(first: 3) { edges { node { body } } } } } } }`;
    for (const order of ['NEWEST_FIRST', 'OLDEST_FIRST']) {
      const res = await app.query(query, { order });
      // The contract's worked example: 261, whatever the order.
      expect(res.body.extensions!.cost.requested).toBe(261);
    }
  });
});

test('a viewer following more than 100 users gets the same oldest-first feed, in the same pages', async () => {
  // Past 100 followees the feed walks all posts instead of seeking each followee's (model/posts.ts):
  // oldest first too, the answer and every page boundary must not depend on which plan ran.
  const [viewer, outsider, ...followed] = (await g.users(103)) as GivenUser[];
  const posts: GivenPost[] = [];
  for (const by of [viewer!, outsider!, ...followed.slice(0, 3), followed.at(-1)!]) posts.push(await g.post({ by }), await g.post({ by }));
  const viewerSession = await signIn(app, viewer!);
  const feed: List = { name: 'their feed', read: (args) => readFeed(args, viewerSession) };
  for (const user of followed.slice(0, 100)) await g.follow(viewer!, user);
  const followsFew = posts.filter((p) => p.authorId === viewer!.id || followed.slice(0, 100).some((u) => u.id === p.authorId));
  expect(await walk(feed, 'OLDEST_FIRST', 3)).toEqual(followsFew.map((p) => p.gid)); // a seek per followee

  for (const user of followed.slice(100)) await g.follow(viewer!, user);
  const followsMany = posts.filter((p) => p.authorId !== outsider!.id);
  expect(await walk(feed, 'OLDEST_FIRST', 3)).toEqual(followsMany.map((p) => p.gid)); // the walk
});

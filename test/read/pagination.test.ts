import { beforeAll, describe, expect, test } from 'vitest';
import { given } from '../support/given.js';
import { startTestApp, type GraphQLResponse, type TestApp } from '../support/test-app.js';

const POSTS = `query($first: Int, $after: String) {
  posts(first: $first, after: $after) {
    edges { cursor node { id title } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

let app: TestApp;
let titlesNewestFirst: string[];
beforeAll(async () => {
  // Statement counts at first: 50 and whole pages: bigger than the default cost limit allows.
  app = await startTestApp({ env: { MAX_COST: '1000000', RATE_LIMIT_POINTS: '100000000' } });
  const posts = await given(app).posts(45);
  titlesNewestFirst = posts.map((p) => p.title).reverse();
});

async function walk(query: string, pick: (data: any) => any, first: number) {
  const seen: string[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const res = await app.query(query, { first, after });
    expect(res.errors).toBeUndefined();
    const connection = pick(res.data);
    seen.push(...connection.edges.map((e: any) => e.node.title ?? e.node.body ?? e.node.name));
    if (!connection.pageInfo.hasNextPage) return seen;
    after = connection.pageInfo.endCursor;
  }
  throw new Error('pagination did not end');
}

describe('posts connection', () => {
  test('defaults to 20 items, newest first', async () => {
    const res = await app.query(POSTS);
    expect(res.data.posts.edges.map((e: any) => e.node.title)).toEqual(titlesNewestFirst.slice(0, 20));
    expect(res.data.posts.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  });

  test('walking pages visits every post once, in order', async () => {
    expect(await walk(POSTS, (d) => d.posts, 7)).toEqual(titlesNewestFirst);
  });

  test("endCursor is the last edge's cursor and startCursor the first's", async () => {
    const { data } = await app.query(POSTS, { first: 3 });
    const { edges, pageInfo } = data.posts;
    expect(pageInfo.startCursor).toBe(edges[0].cursor);
    expect(pageInfo.endCursor).toBe(edges[2].cursor);
    const next = await app.query(POSTS, { first: 3, after: pageInfo.endCursor });
    expect(next.data.posts.pageInfo.hasPreviousPage).toBe(true);
    expect(next.data.posts.edges[0].node.title).toBe(titlesNewestFirst[3]);
  });

  test('the last page says there is no next page; past it is empty with null cursors', async () => {
    const all = await app.query(POSTS, { first: 100 });
    expect(all.data.posts.edges).toHaveLength(45);
    expect(all.data.posts.pageInfo.hasNextPage).toBe(false);
    const past = await app.query(POSTS, { first: 5, after: all.data.posts.pageInfo.endCursor });
    expect(past.data.posts.edges).toEqual([]);
    expect(past.data.posts.pageInfo).toMatchObject({ hasNextPage: false, startCursor: null, endCursor: null });
  });

  test('posts inserted while a client walks pages are neither repeated nor make it skip older ones', async () => {
    const alice = await given(app).user();
    const existing = (await app.query(POSTS, { first: 100 })).data.posts.edges.map((e: any) => e.node.title);
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; ; page++) {
      const res: GraphQLResponse = await app.query(POSTS, { first: 10, after });
      seen.push(...res.data.posts.edges.map((e: any) => e.node.title));
      await given(app).post({ by: alice, title: `inserted after page ${page}` });
      if (!res.data.posts.pageInfo.hasNextPage) break;
      after = res.data.posts.pageInfo.endCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(existing);
  });
});

describe('page arguments', () => {
  test.each([0, -1, 101])('first: %i is BAD_USER_INPUT naming first', async (first) => {
    const res = await app.query(POSTS, { first });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', details: [{ field: 'first' }] });
    expect(res.errors?.[0]?.message).toMatch(/between 1 and 100/);
  });

  test('first: 1 and first: 100 are accepted', async () => {
    expect((await app.query(POSTS, { first: 1 })).data.posts.edges).toHaveLength(1);
    expect((await app.query(POSTS, { first: 100 })).errors).toBeUndefined();
  });

  test.each(['garbage', '', 'MTc2NzIyNTYxMDAwMDoz=', 'bm90OmFjdXJzb3I', '🙂', 'x'.repeat(10_000)])(
    'a cursor this API did not give out (%s) is BAD_USER_INPUT naming after',
    async (after) => {
      const res = await app.query(POSTS, { first: 5, after });
      expect(res.errors).toHaveLength(1);
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', details: [{ field: 'after' }] });
    },
  );

  test('a bad first and a bad cursor are reported together, once', async () => {
    const res = await app.query(POSTS, { first: 0, after: 'nope' });
    expect(res.errors).toHaveLength(1);
    expect(res.errors?.[0]?.extensions.details.map((d: any) => d.field).sort()).toEqual(['after', 'first']);
  });

  test('a nested connection checks its arguments too', async () => {
    const res = await app.query(`{ posts(first: 1) { edges { node { comments(first: 500) { edges { cursor } } } } } }`);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', details: [{ field: 'first' }] });
  });
});

describe('nested connections page the same way', () => {
  test("a post's comments, oldest first, walked in pages", async () => {
    const g = given(app);
    const author = await g.user();
    const post = await g.post({ by: author });
    const bodies = [];
    for (let i = 0; i < 12; i++) bodies.push((await g.comment({ on: post, by: author, body: `comment ${i}` })).body);
    const query = `query($first: Int, $after: String) { post(id: "${post.gid}") { comments(first: $first, after: $after) {
      edges { cursor node { body } } pageInfo { hasNextPage endCursor } } } }`;
    expect(await walk(query, (d) => d.post.comments, 5)).toEqual(bodies);
  });

  test('followers and following, most recent follow first, walked in pages', async () => {
    const g = given(app);
    const star = await g.user({ name: 'Star' });
    const fans = await g.users(9);
    for (const fan of fans) await g.follow(fan, star);
    for (const fan of [...fans].reverse()) await g.follow(star, fan);
    const followers = `query($first: Int, $after: String) { user(id: "${star.gid}") { followers(first: $first, after: $after) {
      edges { node { name } } pageInfo { hasNextPage endCursor } } } }`;
    const following = followers.replace('followers(', 'following(');
    expect(await walk(followers, (d) => d.user.followers, 4)).toEqual(fans.map((f) => f.name).reverse());
    expect(await walk(following, (d) => d.user.following, 4)).toEqual(fans.map((f) => f.name));
  });

  test("a user's posts, newest first, walked in pages", async () => {
    const g = given(app);
    const writer = await g.user();
    const titles = [];
    for (let i = 0; i < 11; i++) titles.push((await g.post({ by: writer, title: `mine ${i}` })).title);
    const query = `query($first: Int, $after: String) { user(id: "${writer.gid}") { posts(first: $first, after: $after) {
      edges { node { title } } pageInfo { hasNextPage endCursor } } } }`;
    expect(await walk(query, (d) => d.user.posts, 3)).toEqual(titles.reverse());
  });
});

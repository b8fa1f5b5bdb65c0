// REST list parameters (rest.md, "Query parameters"): limit and its bounds, cursors, walking every
// page by next_cursor and by Link while posts are published, sort on the three post lists, and
// fields: exactly what was asked for (what is not asked for is not read: ./costs.test.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { given, type Given, type GivenUser } from '../support/given.js';
import { restClient, type RestClient, type RestResponse } from '../support/rest-client.js';
import { signIn, type Session } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let rest: RestClient;
let g: Given;
let me: GivenUser;
let friend: GivenUser;
let stranger: GivenUser;
let session: Session;

beforeAll(async () => {
  // A page of 100 full posts costs more than the default cost limit allows.
  app = await startTestApp({ env: { RATE_LIMIT_POINTS: '100000000', MAX_COST: '1000000' } });
  rest = restClient(app);
  g = given(app);
  [me, friend, stranger] = (await g.users(3)) as [GivenUser, GivenUser, GivenUser];
  await g.follow(me, friend);
  for (let i = 0; i < 8; i++) for (const by of [me, friend, stranger]) await g.post({ by });
  session = await signIn(app, me);
});

const ids = (res: RestResponse) => res.body.data.map((item: { id: string }) => item.id);

/** The three post lists that take `sort`, each with the viewer it needs. */
const postLists = () => [
  { path: '/v1/posts', session: undefined },
  { path: `/v1/users/${friend.gid}/posts`, session: undefined },
  { path: '/v1/me/feed', session },
];

describe('limit', () => {
  it('is 20 by default, and pagination says so', async () => {
    const res = await rest.get('/v1/posts');
    expect(res.body.data).toHaveLength(20);
    expect(res.body.pagination).toEqual({ limit: 20, has_more: true, next_cursor: expect.any(String) });
  });

  it('takes 1 to 100', async () => {
    expect((await rest.get('/v1/posts?limit=1')).body.data).toHaveLength(1);
    const all = await rest.get('/v1/posts?limit=100');
    expect(all.body.data.length).toBeGreaterThanOrEqual(24);
    expect(all.body.pagination).toEqual({ limit: 100, has_more: false, next_cursor: null });
  });

  it('outside 1–100 or not a whole number is 400 BAD_USER_INPUT naming "limit"', async () => {
    for (const limit of ['0', '101', 'abc', '-1', '1.5', '']) {
      const res = await rest.get(`/v1/posts?limit=${limit}`);
      expect(res.status, limit).toBe(400);
      expect(res.body.error, limit).toMatchObject({ code: 'BAD_USER_INPUT', details: [{ field: 'limit' }] });
    }
    for (const path of ['/v1/users', `/v1/users/${me.gid}/following`, '/v1/me/feed']) {
      const res = await rest.get(`${path}?limit=101`, session);
      expect(res.status, path).toBe(400);
      expect(res.body.error, path).toMatchObject({ code: 'BAD_USER_INPUT', details: [{ field: 'limit' }] });
    }
  });
});

describe('cursor', () => {
  it('a garbage cursor is 400 BAD_USER_INPUT naming "cursor", on every list', async () => {
    for (const path of ['/v1/posts', '/v1/users', `/v1/users/${me.gid}/followers`, '/v1/me/feed']) {
      const res = await rest.get(`${path}?cursor=garbage`, { headers: session.headers });
      expect(res.status, path).toBe(400);
      expect(res.body.error, path).toMatchObject({ code: 'BAD_USER_INPUT', details: [{ field: 'cursor' }] });
    }
  });

  it('every problem with the parameters is in one answer', async () => {
    const res = await rest.get('/v1/posts?limit=0&cursor=garbage&sort=title&fields=nope');
    expect(res.status).toBe(400);
    const fields = res.body.error.details.map((problem: { field: string }) => problem.field);
    expect(fields.sort()).toEqual(['cursor', 'fields', 'limit', 'sort']);
  });
});

describe('sort', () => {
  it('-created_at (the default) is newest first, created_at oldest first, on every post list', async () => {
    for (const { path, session: viewer } of postLists()) {
      const byDefault = await rest.get(`${path}?limit=100`, viewer);
      const times = byDefault.body.data.map((post: { created_at: string }) => post.created_at);
      expect(times.length, path).toBeGreaterThanOrEqual(8);
      expect(times, path).toEqual([...times].sort().reverse());
      expect(ids(await rest.get(`${path}?limit=100&sort=-created_at`, viewer)), path).toEqual(ids(byDefault));
      expect(ids(await rest.get(`${path}?limit=100&sort=created_at`, viewer)), path).toEqual(ids(byDefault).reverse());
    }
  });

  it('anything else is 400 BAD_USER_INPUT naming "sort"', async () => {
    for (const { path, session: viewer } of postLists()) {
      for (const sort of ['title', 'created_at,-id', '+created_at', '']) {
        const res = await rest.get(`${path}?sort=${encodeURIComponent(sort)}`, viewer);
        expect(res.status, `${path} ${sort}`).toBe(400);
        expect(res.body.error, path).toMatchObject({ code: 'BAD_USER_INPUT', details: [{ field: 'sort' }] });
      }
    }
  });
});

describe('fields', () => {
  it('returns exactly id and the fields asked for, in lists and for one resource', async () => {
    const list = await rest.get('/v1/posts?fields=title,likes_count');
    for (const post of list.body.data) expect(Object.keys(post).sort()).toEqual(['id', 'likes_count', 'title']);
    const one = await rest.get(`/v1/posts/${list.body.data[0].id}?fields=author`);
    expect(Object.keys(one.body.data).sort()).toEqual(['author', 'id']);
    const user = await rest.get(`/v1/users/${me.gid}?fields=name,followers_count`);
    expect(user.body.data).toEqual({ id: me.gid, name: me.name, followers_count: 0 });
  });

  it('an unknown field is 400 BAD_USER_INPUT naming "fields"', async () => {
    for (const path of ['/v1/posts?fields=title,nope', `/v1/users/${me.gid}?fields=title`, '/v1/users?fields=password_hash']) {
      const res = await rest.get(path);
      expect(res.status, path).toBe(400);
      expect(res.body.error, path).toMatchObject({ code: 'BAD_USER_INPUT', details: [{ field: 'fields' }] });
    }
  });
});

describe('walking every page', () => {
  /** Every page from `path` on, following `next` from each, with `between` run between pages (a new post by default). */
  async function walk(
    path: string,
    next: (res: RestResponse) => string | null,
    between: () => Promise<unknown> = () => g.post({ by: stranger }),
  ) {
    const seen: string[] = [];
    let res = await rest.get(path);
    for (;;) {
      expect(res.status).toBe(200);
      seen.push(...ids(res));
      const nextPath = next(res);
      if (nextPath === null) return { seen, last: res };
      await between();
      res = await rest.get(nextPath);
    }
  }

  const byCursor = (base: string) => (res: RestResponse) =>
    res.body.pagination.next_cursor === null ? null : `${base}&cursor=${encodeURIComponent(res.body.pagination.next_cursor)}`;
  const byLink = (res: RestResponse) => /^<([^>]+)>; rel="next"$/.exec(res.headers.get('link') ?? '')?.[1] ?? null;

  for (const [how, follow] of [
    ['next_cursor', byCursor],
    ['Link', () => byLink],
  ] as const) {
    it(`by ${how}, newest first, meets every older post once while posts are published`, async () => {
      const before = ids(await rest.get('/v1/posts?limit=100'));
      const { seen, last } = await walk('/v1/posts?limit=7', follow('/v1/posts?limit=7'));
      expect(seen).toEqual(before);
      expect(last.body.pagination).toEqual({ limit: 7, has_more: false, next_cursor: null });
      expect(last.headers.get('link')).toBeNull();
    });

    it(`by ${how}, oldest first, meets every post once, the new ones at the end`, async () => {
      const before = ids(await rest.get('/v1/posts?limit=100&sort=created_at'));
      const { seen, last } = await walk('/v1/posts?limit=5&sort=created_at', follow('/v1/posts?limit=5&sort=created_at'));
      expect(seen.slice(0, before.length)).toEqual(before);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.length).toBeGreaterThan(before.length);
      expect(last.body.pagination.has_more).toBe(false);
      expect(last.headers.get('link')).toBeNull();
    });
  }

  it('comments, oldest first, meet every comment once while comments are added', async () => {
    const post = await g.post({ by: friend });
    for (let i = 0; i < 7; i++) await g.comment({ on: post, by: stranger });
    const path = `/v1/posts/${post.gid}/comments?limit=3`;
    const before = ids(await rest.get(`/v1/posts/${post.gid}/comments?limit=100`));
    const { seen, last } = await walk(path, byLink, () => g.comment({ on: post, by: me }));
    expect(seen.slice(0, before.length)).toEqual(before);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThan(before.length);
    expect(last.body.pagination).toEqual({ limit: 3, has_more: false, next_cursor: null });
  });

  it('the Link keeps the other parameters (sort, fields) and carries cursor and limit', async () => {
    const res = await rest.get('/v1/posts?sort=created_at&fields=title&limit=2');
    const link = byLink(res)!;
    const url = new URL(link, app.url);
    expect(url.pathname).toBe('/v1/posts');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      sort: 'created_at',
      fields: 'title',
      limit: '2',
      cursor: res.body.pagination.next_cursor,
    });
    const next = await rest.get(link);
    expect(Object.keys(next.body.data[0]).sort()).toEqual(['id', 'title']);
    expect(next.body.data[0].id).not.toBe(res.body.data[1].id);
  });

  it('a list of one page has no Link', async () => {
    const res = await rest.get(`/v1/users/${me.gid}/followers`);
    expect(res.body.pagination).toEqual({ limit: 20, has_more: false, next_cursor: null });
    expect(res.headers.get('link')).toBeNull();
  });
});

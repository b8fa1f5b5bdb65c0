// What a REST read costs (rest.md): the SQL statements and the rate-limit points of the GraphQL
// operation it stands for, one budget for both transports, and less for fewer `fields` (what is
// not asked for is not read).
import { beforeAll, describe, expect, it } from 'vitest';
import { given, type GivenPost, type GivenUser } from '../support/given.js';
import { POST_FIELDS, USER_FIELDS } from '../support/graphql-twins.js';
import { restClient, type RestClient, type RestResponse } from '../support/rest-client.js';
import { signIn, type Session } from '../support/sign-in.js';
import { lockTable } from '../support/table-lock.js';
import { startTestApp, type GraphQLResponse, type TestApp } from '../support/test-app.js';

let app: TestApp;
let rest: RestClient;
let alice: GivenUser;
let bob: GivenUser;
let posts: GivenPost[];
let asAlice: Session;

beforeAll(async () => {
  // RESPONSE_CACHE=false: the statements compared are those of running each operation; a
  // repeated read would be answered from the cache with none.
  app = await startTestApp({ env: { MAX_COST: '1000000', RATE_LIMIT_POINTS: '100000000', RESPONSE_CACHE: 'false' } });
  rest = restClient(app);
  const g = given(app);
  [alice, bob] = (await g.users(2)) as [GivenUser, GivenUser];
  await g.follow(alice, bob);
  posts = await g.posts(30, { by: bob, commentsEach: 1 });
  for (const post of posts.slice(0, 10)) await g.like(alice, post);
  asAlice = await signIn(app, alice);
});

const PAGE_INFO = 'pageInfo { hasNextPage endCursor }';
const postPage = (field: string, fields = POST_FIELDS) => `${field} { edges { node { ${fields} } } ${PAGE_INFO} }`;
const userPage = (field: string) => `${field} { edges { node { ${USER_FIELDS} } } ${PAGE_INFO} }`;

/** A REST read and the GraphQL operation it stands for, at page size `limit`. */
const pairs = (limit: number) => [
  { path: `/v1/posts?limit=${limit}`, query: `query($n: Int) { ${postPage('posts(first: $n)')} }` },
  { path: `/v1/posts/${posts[3]!.gid}`, query: `query($id: ID!) { post(id: $id) { ${POST_FIELDS} } }`, variables: { id: posts[3]!.gid } },
  {
    path: `/v1/users/${bob.gid}/posts?limit=${limit}`,
    query: `query($id: ID!, $n: Int) { user(id: $id) { ${postPage('posts(first: $n)')} } }`,
    variables: { id: bob.gid },
  },
  {
    path: `/v1/posts/${posts[3]!.gid}/comments?limit=${limit}`,
    query: `query($id: ID!, $n: Int) { post(id: $id) { comments(first: $n) { edges { node { id body author { id name } post { id } createdAt } } ${PAGE_INFO} } } }`,
    variables: { id: posts[3]!.gid },
  },
  { path: `/v1/users?limit=${limit}`, query: `query($n: Int) { ${userPage('users(first: $n)')} }` },
  {
    path: `/v1/users/${bob.gid}/followers?limit=${limit}`,
    query: `query($id: ID!, $n: Int) { user(id: $id) { ${userPage('followers(first: $n)')} } }`,
    variables: { id: bob.gid },
  },
  { path: `/v1/users/${bob.gid}`, query: `query($id: ID!) { user(id: $id) { ${USER_FIELDS} } }`, variables: { id: bob.gid } },
];

describe('SQL statements', () => {
  it('a REST read sends exactly the statements of its GraphQL operation, signed in or not, whatever the page size', async () => {
    for (const session of [undefined, asAlice]) {
      for (const limit of [5, 20, 50]) {
        for (const { path, query, variables } of pairs(limit)) {
          const viaRest = await rest.get(path, session);
          expect(viaRest.status, path).toBe(200);
          const viaGraphQL = await app.query(query, { n: limit, ...variables }, session);
          expect(viaGraphQL.errors).toBeUndefined();
          expect(viaRest.statements, `${path} ${session ? 'signed in' : 'anonymous'}`).toBe(viaGraphQL.statements);
        }
      }
    }
  });

  it('the feed reads in as many statements as the GraphQL feed', async () => {
    const viaRest = await rest.get('/v1/me/feed?limit=20', asAlice);
    const viaGraphQL = await app.query(`query($n: Int) { ${postPage('feed(first: $n)')} }`, { n: 20 }, asAlice);
    expect(viaRest.body.data).toHaveLength(20);
    expect(viaRest.statements).toBe(viaGraphQL.statements);
  });
});

const remaining = (res: RestResponse | GraphQLResponse) => Number(res.headers.get('x-ratelimit-remaining'));

describe('the rate-limit budget', () => {
  it('REST and GraphQL draw on one budget, and a REST read costs what its GraphQL operation costs', async () => {
    for (const session of [undefined, asAlice]) {
      const first = await rest.get('/v1/posts?limit=20', session);
      const graphql = await app.query(`query($n: Int) { ${postPage('posts(first: $n)')} }`, { n: 20 }, session);
      const again = await rest.get('/v1/posts?limit=20', session);
      const graphqlCost = remaining(first) - remaining(graphql);
      expect(graphqlCost).toBeGreaterThan(20);
      expect(remaining(graphql) - remaining(again)).toBe(graphqlCost);
      expect(again.headers.get('x-ratelimit-limit')).toBe(graphql.headers.get('x-ratelimit-limit'));
    }
  });

  it('fewer fields cost less: the title of posts costs what the GraphQL read of titles costs', async () => {
    // Each answer's Remaining is the budget after it: a difference is the cost of the later one.
    const before = await rest.get('/v1/posts?limit=20');
    const all = await rest.get('/v1/posts?limit=20');
    const titles = await rest.get('/v1/posts?limit=20&fields=title');
    const graphql = await app.query(`query($n: Int) { ${postPage('posts(first: $n)', 'id title')} }`, { n: 20 });
    const titlesCost = remaining(all) - remaining(titles);
    expect(remaining(titles) - remaining(graphql)).toBe(titlesCost);
    expect(titlesCost).toBeLessThan(remaining(before) - remaining(all));
  });
});

describe.skipIf(!process.env.DATABASE_URL)('on Postgres, fields not asked for are not read', () => {
  it('posts without counts answer while likes and comments are locked; with counts they wait for the lock', async () => {
    if (app.database.driver !== 'pg') throw new Error('expected a Postgres test app');
    const url = String(app.database.pool.options.connectionString);
    const likesLock = await lockTable(url, 'likes');
    const commentsLock = await lockTable(url, 'comments');
    try {
      const titles = await rest.get('/v1/posts?fields=title,content,author,created_at', asAlice);
      expect(titles.status).toBe(200);
      expect(titles.body.data).toHaveLength(20);
      expect((await rest.get(`/v1/posts/${posts[0]!.gid}?fields=title`, asAlice)).status).toBe(200);

      const full = rest.get('/v1/posts', asAlice);
      await likesLock.waiters(1);
      await likesLock.release();
      await commentsLock.release();
      const answer = await full;
      expect(answer.status).toBe(200);
      expect(answer.body.data[0]).toMatchObject({ likes_count: expect.any(Number), comments_count: 1 });
    } finally {
      await likesLock.release();
      await commentsLock.release();
    }
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { given } from '../support/given.js';
import { POST_FIELDS, restPost } from '../support/graphql-twins.js';
import { restClient, type RestClient } from '../support/rest-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('REST reads answer what their GraphQL operation answers', () => {
  let app: TestApp;
  let rest: RestClient;
  let postIds: string[];
  beforeAll(async () => {
    app = await startTestApp();
    rest = restClient(app);
    const author = await given(app).user({ name: 'Ann' });
    postIds = (await given(app).posts(3, { by: author, commentsEach: 1 })).map((post) => post.gid);
  });

  it('GET /v1/posts/{id} is the post POST /graphql reads, in as many statements, with a stable ETag', async () => {
    const graphql = await app.query(`query ($id: ID!) { post(id: $id) { ${POST_FIELDS} } }`, { id: postIds[0] });
    const first = await rest.get(`/v1/posts/${postIds[0]}`);
    expect(first.status).toBe(200);
    expect(first.body.data).toEqual(restPost(graphql.data.post));
    expect(first.body.data).toMatchObject({ author: { name: 'Ann' }, comments_count: 1 });
    expect(first.statements).toBe(graphql.statements);
    const again = await rest.get(`/v1/posts/${postIds[0]}`, { headers: { 'if-none-match': first.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('GET /v1/posts?limit=2 is the page posts(first: 2) reads, with its next cursor and the rate-limit headers', async () => {
    const graphql = await app.query(`{ posts(first: 2) { edges { node { ${POST_FIELDS} } } pageInfo { hasNextPage endCursor } } }`);
    const page = await rest.get('/v1/posts?limit=2');
    expect(page.status).toBe(200);
    expect(page.body.data).toEqual(graphql.data.posts.edges.map((edge: { node: Record<string, unknown> }) => restPost(edge.node)));
    expect(page.body.data.map((post: { id: string }) => post.id)).toEqual([postIds[2], postIds[1]]);
    expect(page.body.pagination).toEqual({ limit: 2, has_more: true, next_cursor: graphql.data.posts.pageInfo.endCursor });
    expect(page.statements).toBe(graphql.statements);
    expect(Number(page.headers.get('x-ratelimit-remaining'))).toBeGreaterThan(0);
  });
});

describe('a REST read whose operation is refused', () => {
  it('answers with the GraphQL error: 429 RATE_LIMITED with Retry-After', async () => {
    const app = await startTestApp({ env: { RATE_LIMIT_POINTS: '30' } });
    const rest = restClient(app);
    const author = await given(app).user();
    const [post] = await given(app).posts(1, { by: author });
    let refused;
    for (let i = 0; i < 40 && !refused; i++) {
      const response = await rest.get(`/v1/posts/${post!.gid}`);
      if (response.status !== 200) refused = response;
    }
    expect(refused?.status).toBe(429);
    expect(refused?.body.error.code).toBe('RATE_LIMITED');
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

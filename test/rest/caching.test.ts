// Caching of REST reads (rest.md, "Caching"): a strong ETag on every 200 GET, 304 for a current
// If-None-Match (still charged by the rate limiter), a new ETag once the resource changes,
// Cache-Control by viewer, HEAD; and the OpenAPI document at /v1/openapi.json.
import SwaggerParser from '@apidevtools/swagger-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { given, type GivenComment, type GivenPost, type GivenUser } from '../support/given.js';
import { restClient, type RestClient } from '../support/rest-client.js';
import { signIn, type Session } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let rest: RestClient;
let alice: GivenUser;
let bob: GivenUser;
let post: GivenPost;
let comment: GivenComment;
let asAlice: Session;

beforeAll(async () => {
  app = await startTestApp({ env: { RATE_LIMIT_POINTS: '100000000' } });
  rest = restClient(app);
  const g = given(app);
  [alice, bob] = (await g.users(2)) as [GivenUser, GivenUser];
  await g.follow(alice, bob);
  post = await g.post({ by: alice, title: 'First title' });
  comment = await g.comment({ on: post, by: bob });
  asAlice = await signIn(app, alice);
});

const readPaths = () => [
  '/v1/me',
  '/v1/me/feed',
  '/v1/users',
  `/v1/users/${alice.gid}`,
  `/v1/users/${alice.gid}/posts`,
  `/v1/users/${alice.gid}/followers`,
  `/v1/users/${alice.gid}/following`,
  '/v1/posts',
  `/v1/posts?author=${alice.gid}`,
  `/v1/posts/${post.gid}`,
  `/v1/posts/${post.gid}/comments`,
  `/v1/comments/${comment.gid}`,
];

const STRONG_ETAG = /^"[^"]+"$/;
const remaining = (res: { headers: Headers }) => Number(res.headers.get('x-ratelimit-remaining'));

describe('ETag', () => {
  it('every 200 GET has a strong ETag, and the same request with it as If-None-Match is 304 with no body', async () => {
    for (const path of readPaths()) {
      const res = await rest.get(path, asAlice);
      expect(res.status, path).toBe(200);
      const etag = res.headers.get('etag')!;
      expect(etag, path).toMatch(STRONG_ETAG);
      const again = await rest.get(path, { headers: { ...asAlice.headers, 'if-none-match': etag } });
      expect(again.status, path).toBe(304);
      expect(again.body, path).toBeNull();
      expect(again.headers.get('etag'), path).toBe(etag);
    }
  });

  it('a 304 is still charged by the rate limiter', async () => {
    const path = `/v1/posts/${post.gid}`;
    const first = await rest.get(path);
    const notModified = await rest.get(path, { headers: { 'if-none-match': first.headers.get('etag')! } });
    expect(notModified.status).toBe(304);
    expect(remaining(notModified)).toBeLessThan(remaining(first));
  });

  it('another ETag, or a weak form of another, answers 200 with the body', async () => {
    const res = await rest.get(`/v1/posts/${post.gid}`, { headers: { 'if-none-match': '"something-else", W/"older"' } });
    expect(res.status).toBe(200);
    expect(res.body.data.id).toBe(post.gid);
  });

  it('is the same for the same data, whatever the request id', async () => {
    const a = await rest.get('/v1/posts');
    const b = await rest.get('/v1/posts');
    expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'));
    expect(a.headers.get('etag')).toBe(b.headers.get('etag'));
  });

  it('changes when the post changes: after updatePost through GraphQL the old ETag answers 200 with the new title', async () => {
    const path = `/v1/posts/${post.gid}`;
    const list = await rest.get('/v1/posts');
    const before = await rest.get(path);
    const updated = await app.query(
      `mutation($id: ID!, $input: UpdatePostInput!) { updatePost(id: $id, input: $input) { id } }`,
      { id: post.gid, input: { title: 'Second title' } },
      asAlice,
    );
    expect(updated.errors).toBeUndefined();
    const after = await rest.get(path, { headers: { 'if-none-match': before.headers.get('etag')! } });
    expect(after.status).toBe(200);
    expect(after.body.data.title).toBe('Second title');
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
    const listAfter = await rest.get('/v1/posts', { headers: { 'if-none-match': list.headers.get('etag')! } });
    expect(listAfter.status).toBe(200);
  });

  it('differs between viewers who see different data', async () => {
    await given(app).like(bob, post);
    const path = `/v1/posts/${post.gid}`;
    const asBob = await rest.get(path, await signIn(app, bob));
    const anonymous = await rest.get(path);
    expect(asBob.body.data.viewer_has_liked).toBe(true);
    expect(asBob.headers.get('etag')).not.toBe(anonymous.headers.get('etag'));
    const stale = await rest.get(path, { headers: { 'if-none-match': asBob.headers.get('etag')! } });
    expect(stale.status).toBe(200);
  });
});

describe('Cache-Control', () => {
  it('is private, no-cache when signed in and no-cache when anonymous', async () => {
    for (const path of readPaths()) {
      expect((await rest.get(path, asAlice)).headers.get('cache-control'), path).toBe('private, no-cache');
      if (path.startsWith('/v1/me')) continue;
      expect((await rest.get(path)).headers.get('cache-control'), path).toBe('no-cache');
    }
  });
});

describe('HEAD', () => {
  it('answers like GET, without a body', async () => {
    for (const path of [...readPaths(), '/v1/posts/UG9zdDo5OTk5OTk=', '/v1/posts/x']) {
      const get = await rest.get(path, asAlice);
      const head = await rest.request('HEAD', path, asAlice);
      expect(head.status, path).toBe(get.status);
      expect(head.body, path).toBeNull();
      for (const header of ['etag', 'cache-control', 'content-type', 'link']) {
        expect(head.headers.get(header), `${path} ${header}`).toBe(get.headers.get(header));
      }
    }
  });
});

describe('/v1/openapi.json', () => {
  // Every route of rest.md's table above GET /v1/openapi.json ("the document of every route
  // above"), as the OpenAPI document writes its path.
  const CONTRACT_PATHS = {
    '/v1/users': ['post', 'get'],
    '/v1/sessions': ['post', 'delete'],
    '/v1/me': ['get'],
    '/v1/me/feed': ['get'],
    '/v1/me/following/{user_id}': ['put', 'delete'],
    '/v1/me/likes/{post_id}': ['put', 'delete'],
    '/v1/users/{id}': ['get', 'patch', 'delete'],
    '/v1/users/{id}/posts': ['get'],
    '/v1/users/{id}/followers': ['get'],
    '/v1/users/{id}/following': ['get'],
    '/v1/posts': ['get', 'post'],
    '/v1/posts/{id}': ['get', 'patch', 'delete'],
    '/v1/posts/{id}/comments': ['get', 'post'],
    '/v1/comments/{id}': ['get', 'delete'],
  };

  it('is 200 JSON with a strong ETag, and 304 for it', async () => {
    const res = await app.fetch('/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(STRONG_ETAG);
    const again = await app.fetch('/v1/openapi.json', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('is a valid OpenAPI document with every route of the contract, each with an operationId, and bearer auth', async () => {
    const document = await (await app.fetch('/v1/openapi.json')).json();
    expect(document.openapi).toMatch(/^3\.1\./);
    await SwaggerParser.validate(structuredClone(document));
    for (const [path, methods] of Object.entries(CONTRACT_PATHS)) {
      expect(document.paths[path], path).toBeDefined();
      for (const method of methods) expect(document.paths[path][method]?.operationId, `${method} ${path}`).toEqual(expect.any(String));
    }
    const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
    const operationIds = Object.values(document.paths).flatMap((item: any) =>
      Object.entries(item)
        .filter(([method]) => METHODS.includes(method))
        .map(([, operation]: [string, any]) => operation.operationId),
    );
    expect(new Set(operationIds).size).toBe(operationIds.length);
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
  });
});

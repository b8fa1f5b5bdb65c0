// REST answers say what is going away: a deprecated route carries Deprecation, Sunset and
// Link rel="deprecation", and so does a route whose operation reads a deprecated field, unless
// ?fields= leaves that field out (then it is not read). The real API has nothing deprecated yet,
// so this server is given a registry.
import { beforeAll, expect, test } from 'vitest';
import { createDeprecationRegistry } from '../../src/api/deprecation-registry.js';
import { given } from '../support/given.js';
import { restClient, type RestClient } from '../support/rest-client.js';
import { startTestApp } from '../support/test-app.js';

let rest: RestClient;
let postId: string;

beforeAll(async () => {
  const deprecations = createDeprecationRegistry([
    { target: 'GET /v1/comments/{id}', since: '2027-01-15', sunset: '2027-07-15', reason: 'Read comments under their post.' },
    { target: 'Post.likesCount', since: '2027-02-01', sunset: '2027-09-01', reason: 'Use the likes list.' },
  ]);
  const app = await startTestApp({ app: { deprecations } });
  rest = restClient(app);
  const author = await given(app).user();
  const post = await given(app).post({ by: author });
  await given(app).post({ by: author });
  postId = post.gid;
});

const DEPRECATION_LINK = '</v1/docs#section/Deprecations>; rel="deprecation"; type="text/html"';

test('a route whose operation reads a deprecated field says so, with that field’s dates', async () => {
  const res = await rest.get(`/v1/posts/${postId}`);
  expect(res.status).toBe(200);
  expect(res.body.data.likes_count).toBe(0);
  expect(res.headers.get('deprecation')).toBe(`@${Date.UTC(2027, 1, 1) / 1000}`);
  expect(res.headers.get('sunset')).toBe('Wed, 01 Sep 2027 00:00:00 GMT');
  expect(res.headers.get('link')).toBe(DEPRECATION_LINK);
});

test('asking only for fields that are not deprecated gets no deprecation headers', async () => {
  const res = await rest.get(`/v1/posts/${postId}?fields=title`);
  expect(res.status).toBe(200);
  expect(res.headers.get('deprecation')).toBeNull();
  expect(res.headers.get('link')).toBeNull();
});

test('a list keeps its next-page link beside the deprecation link', async () => {
  const res = await rest.get('/v1/posts?limit=1');
  expect(res.body.pagination.has_more).toBe(true);
  const links = res.headers.get('link')!;
  expect(links).toContain(DEPRECATION_LINK);
  expect(links).toMatch(/<\/v1\/posts\?limit=1&cursor=[^>]+>; rel="next"/);
});

test('a deprecated route says so, and the OpenAPI document marks it deprecated', async () => {
  const missing = await rest.get('/v1/comments/Q29tbWVudDo5OTk5');
  expect(missing.status).toBe(404);
  expect(missing.headers.get('deprecation')).toBe(`@${Date.UTC(2027, 0, 15) / 1000}`);
  expect(missing.headers.get('sunset')).toBe('Thu, 15 Jul 2027 00:00:00 GMT');
  const document = (await rest.get('/v1/openapi.json')).body;
  expect(document.paths['/v1/comments/{id}'].get.deprecated).toBe(true);
  expect(document.paths['/v1/comments/{id}'].delete.deprecated).toBeUndefined();
});

// A GraphQL response whose operation used a deprecated field carries Deprecation, Sunset and Link
// (as Shopify's API does); other responses carry none. The real schema has nothing deprecated
// yet, so this server is given a registry that deprecates Post.likesCount.
import { beforeAll, expect, test } from 'vitest';
import { createDeprecationRegistry } from '../../src/api/deprecation-registry.js';
import { given } from '../support/given.js';
import { signIn } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let postId: string;

beforeAll(async () => {
  const deprecations = createDeprecationRegistry([
    { target: 'Post.likesCount', since: '2027-01-15', sunset: '2027-07-15', reason: 'Use likes.totalCount.' },
  ]);
  app = await startTestApp({ app: { deprecations } });
  postId = (await given(app).post({ by: await given(app).user() })).gid;
});

function expectDeprecated(headers: Headers) {
  expect(headers.get('deprecation')).toBe('@1799971200');
  expect(headers.get('sunset')).toBe('Thu, 15 Jul 2027 00:00:00 GMT');
  expect(headers.get('link')).toBe('</v1/docs#section/Deprecations>; rel="deprecation"; type="text/html"');
}

test('a query that selects a deprecated field gets the deprecation headers, and its data', async () => {
  const res = await app.query('query($id: ID!) { post(id: $id) { likesCount } }', { id: postId });
  expect(res.data.post.likesCount).toBe(0);
  expectDeprecated(res.headers);
});

test('a deprecated field selected through a fragment counts', async () => {
  const res = await app.query('query($id: ID!) { post(id: $id) { ...Counts } } fragment Counts on Post { likesCount }', { id: postId });
  expectDeprecated(res.headers);
});

test('a query that avoids the deprecated field gets no deprecation headers', async () => {
  const res = await app.query('query($id: ID!) { post(id: $id) { title } }', { id: postId });
  expect(res.data.post.title).toBeTypeOf('string');
  expect(res.headers.get('deprecation')).toBeNull();
  expect(res.headers.get('sunset')).toBeNull();
});

test('only the operation that runs decides: another one in the same document does not', async () => {
  const document = 'query Title($id: ID!) { post(id: $id) { title } } query Likes($id: ID!) { post(id: $id) { likesCount } }';
  const response = await app.fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: document, operationName: 'Title', variables: { id: postId } }),
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('deprecation')).toBeNull();
});

test('a keyed mutation that selects the deprecated field, replayed, keeps the headers', async () => {
  const session = await signIn(app, await given(app).user());
  const createPost = 'mutation($input: CreatePostInput!) { createPost(input: $input) { likesCount } }';
  const headers = { ...session.headers, 'idempotency-key': 'deprecated-replay' };
  const input = { title: 'Counted', content: 'Hello.' };
  const first = await app.query(createPost, { input }, { headers });
  const replay = await app.query(createPost, { input }, { headers });
  expect(first.data.createPost.likesCount).toBe(0);
  expect(replay.headers.get('idempotency-replay')).toBe('true');
  expectDeprecated(first.headers);
  expectDeprecated(replay.headers);
});

test('the same field on a server with nothing deprecated gets no headers', async () => {
  const plain = await startTestApp();
  const res = await plain.query('{ posts(first: 1) { edges { node { likesCount } } } }');
  expect(res.errors).toBeUndefined();
  expect(res.headers.get('deprecation')).toBeNull();
});

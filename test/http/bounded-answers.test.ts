// The contract's "Bounded answers": whatever a client sends, an error quotes at most 200
// characters of it and a response of errors stays under 64 KiB; the cheap refusals come first,
// so a client over its budget is refused before any work that grows with its input.
import { beforeAll, describe, expect, test } from 'vitest';
import { connectWs } from '../support/ws-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const KIB = 1024;
const CREATE_POST = 'mutation($i: CreatePostInput!) { createPost(input: $i) { id } }';

/** An object of `n` keys: just under the 1 MiB body limit at 70,000. */
const wide = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, k) => [`k${k}`, k]));

/** Every run of quoted text, and every message, quotes at most 200 characters of the input. */
function expectBoundedQuotes(message: string) {
  expect(message.length).toBeLessThanOrEqual(600);
  for (const [, quoted] of message.matchAll(/"((?:[^"\\]|\\.)*)"/g)) expect(quoted!.length).toBeLessThanOrEqual(201);
  expect(message).not.toMatch(/(k\d+: \d+, ){40}/); // a value's echo would list its keys
}

async function post(app: TestApp, body: unknown, headers: Record<string, string> = {}) {
  const response = await app.fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, bytes: Buffer.byteLength(text), body: JSON.parse(text) };
}

describe('answers are bounded whatever the input', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });

  test('a variable of 70,000 keys is one short BAD_USER_INPUT naming it, and the server stays responsive', async () => {
    const bodies = await Promise.all([1, 2, 3].map(() => post(app, { query: CREATE_POST, variables: { i: wide(70_000) } })));
    for (const res of bodies) {
      expect(res.status).toBe(400);
      expect(res.bytes).toBeLessThan(1 * KIB);
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(res.body.errors[0].extensions.details).toEqual([{ field: '$i', message: expect.any(String) }]);
      expectBoundedQuotes(res.body.errors[0].message);
    }
    expect((await app.fetch('/health')).status).toBe(200);
  });

  test('an invalid variable within the size bound is still one error, its value quoted at most 200 characters', async () => {
    const res = await post(app, { query: CREATE_POST, variables: { i: wide(1_500) } });
    expect(res.body.errors).toHaveLength(1);
    const [error] = res.body.errors;
    expect(error.extensions.code).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(/^Variable "\$i" got invalid value /);
    expect(error.message).toMatch(/more problems with it: see details/);
    expectBoundedQuotes(error.message);
    expect(error.extensions.details.length).toBeLessThanOrEqual(20);
    for (const detail of error.extensions.details) {
      expect(detail.field).toBe('$i');
      expectBoundedQuotes(detail.message);
    }
  });

  test('each invalid variable gets its own error, naming it', async () => {
    const res = await post(app, {
      query: 'query($a: Int, $b: ID!) { posts(first: $a) { edges { cursor } } node(id: $b) { id } }',
      variables: { a: 'x'.repeat(5_000), b: { deep: wide(300) } },
    });
    expect(res.body.errors.map((e: any) => e.extensions.details[0].field)).toEqual(['$a', '$b']);
    for (const error of res.body.errors) expectBoundedQuotes(error.message);
  });

  test('an enum variable given a long string quotes it at most 200 characters, its quotes paired', async () => {
    for (const value of ['x'.repeat(5_000), '"'.repeat(5_000), '\ud800'.repeat(5_000)]) {
      const res = await post(app, { query: 'query($o: PostOrder) { posts(order: $o) { edges { cursor } } }', variables: { o: value } });
      expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      const { message } = res.body.errors[0];
      expectBoundedQuotes(message);
      // Both quotes of the value cut (the given one, and the enum's reason repeating it) stay quotes.
      expect(message).not.toMatch(/(x|\\"|\\ud800){201}/);
      expect(message).toMatch(/^Variable "\$o" got invalid value ".{1,400}…"; Value "/s);
    }
  });

  test('a 500,000-character field name is quoted to 200 characters', async () => {
    const res = await post(app, { query: `{ ${'z'.repeat(500_000)} }` });
    expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expectBoundedQuotes(res.body.errors[0].message);
    expect(res.bytes).toBeLessThan(1 * KIB);
  });

  test('a document failing validation in 1,500 places answers within 64 KiB', async () => {
    const fields = Array.from({ length: 1_500 }, (_, i) => `f${i}${'x'.repeat(600)}`).join(' ');
    const res = await post(app, { query: `{ ${fields} }` });
    expect(res.status).toBe(400);
    expect(res.bytes).toBeLessThanOrEqual(64 * KIB);
    expect(res.body.errors.length).toBeGreaterThan(10);
    for (const error of res.body.errors) {
      expect(error.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expectBoundedQuotes(error.message);
    }
  });

  test('an operationName of 500,000 characters is a short BAD_REQUEST', async () => {
    const res = await post(app, { query: '{ __typename }', operationName: 'y'.repeat(500_000) });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(res.bytes).toBeLessThan(1 * KIB);
  });

  test('over WebSocket, an ID variable given 70,000 keys is one short error message', async () => {
    const connection = connectWs(app.url);
    await connection.acknowledged;
    const subscription = connection.subscribe('subscription($p: ID!) { commentAdded(postId: $p) { id } }', { p: wide(70_000) });
    const errors = await subscription.ended;
    expect(errors).toHaveLength(1);
    expect(errors![0]!.extensions.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(errors).length).toBeLessThan(1 * KIB);
  });
});

describe('the cheap refusals come first', () => {
  test('a client over budget gets 429 for an oversized variable, before coercion, and for a document that does not parse', async () => {
    const app = await startTestApp({ env: { RATE_LIMIT_POINTS: '3', RATE_LIMIT_WINDOW_SECONDS: '120' } });
    for (let i = 0; i < 3; i++) expect((await post(app, { query: '{ __typename }' })).status).toBe(200);
    for (const body of [{ query: CREATE_POST, variables: { i: wide(70_000) } }, { query: '{ posts {' }, { query: '{ nope }' }]) {
      const res = await post(app, body);
      expect(res.status).toBe(429);
      expect(res.body.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'RATE_LIMITED' }) })]);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    }
  });

  test('parse and validation failures are charged 1 point, as other refused requests are', async () => {
    const app = await startTestApp();
    const remaining = async (body: unknown) => Number((await post(app, body)).headers.get('x-ratelimit-remaining'));
    const start = await remaining({ query: '{ __typename }' });
    expect(await remaining({ query: '{ posts {' })).toBe(start - 1);
    expect(await remaining({ query: '{ nope }' })).toBe(start - 2);
    expect(await remaining({ query: CREATE_POST, variables: { i: wide(10) } })).toBe(start - 3);
  });
});

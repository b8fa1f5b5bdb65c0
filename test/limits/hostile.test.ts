// The hostile-query corpus: each request is answered with the contract's code and status, sends
// no SQL when refused, leaks no stack or SQL, and leaves the server healthy for the next client.
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { given } from '../support/given.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let adaEmail: string;
beforeAll(async () => {
  app = await startTestApp();
  const ada = await given(app).user();
  adaEmail = ada.email;
  await given(app).post({ by: ada });
});

type Sent = { status: number; text: string; body: any; statements: number };

async function send(body: string, headers: Record<string, string> = {}): Promise<Sent> {
  const before = app.database.statementCount;
  const res = await app.fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body,
  });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text), statements: app.database.statementCount - before };
}
const sendQuery = (query: string, variables?: unknown) => send(JSON.stringify({ query, variables }));
const codeOf = (sent: Sent) => sent.body.errors?.[0]?.extensions?.code;

const LEAKS = /stack|\bat .+\.(ts|js):\d|select |insert |from "|node_modules|SyntaxError/i;

// After every hostile request, the server still answers an ordinary one.
afterEach(async () => {
  const res = await app.query(`{ posts(first: 1) { edges { node { title } } } }`);
  expect(res.status).toBe(200);
  expect(res.data.posts.edges).toHaveLength(1);
});

const nest = (levels: number): string => {
  // posts → edges → node → author → posts …: 4 levels a round, first: 1 to keep the cost low
  let query = 'id';
  for (let i = 0; i < levels; i++) query = `posts(first: 1) { edges { node { author { ${query} } } } }`;
  return `{ ${query} }`;
};

describe('refused before any SQL, with the right code and status', () => {
  test.each<[string, () => Promise<Sent>, number, string]>([
    ['deep nesting (80 levels)', () => sendQuery(nest(20)), 400, 'QUERY_TOO_DEEP'],
    [
      'an alias flood over the token limit',
      () => sendQuery(`{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: __typename`).join(' ')} }`),
      400,
      'GRAPHQL_PARSE_FAILED',
    ],
    [
      'an alias flood under it',
      () => sendQuery(`{ ${Array.from({ length: 400 }, (_, i) => `a${i}: __typename`).join(' ')} }`),
      400,
      'GRAPHQL_VALIDATION_FAILED',
    ],
    [
      'a fragment cycle',
      () => sendQuery(`{ viewer { ...A } } fragment A on User { ...B } fragment B on User { ...A }`),
      400,
      'GRAPHQL_VALIDATION_FAILED',
    ],
    [
      'fragments spreading each other twice, 30 deep (2^30 fields)',
      () =>
        sendQuery(
          `{ ...F0 } ${Array.from({ length: 30 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`).join(' ')} fragment F30 on Query { __typename }`,
        ),
      400,
      'QUERY_TOO_COMPLEX',
    ],
    [
      'wide connections, first: 100 three levels down',
      () =>
        sendQuery(
          `{ posts(first: 100) { edges { node { comments(first: 100) { edges { node { author { posts(first: 100) { edges { cursor } } } } } } } } } }`,
        ),
      400,
      'QUERY_TOO_COMPLEX',
    ],
    [
      'a huge $first on a document that passed with a small one',
      () => sendQuery(`query($n: Int) { posts(first: $n) { edges { node { comments(first: 100) { edges { cursor } } } } } }`, { n: 100 }),
      400,
      'QUERY_TOO_COMPLEX',
    ],
    ['a directive flood', () => sendQuery(`{ __typename ${'@include(if: true) '.repeat(200)}}`), 400, 'GRAPHQL_VALIDATION_FAILED'],
    [
      'a 1 MB string argument',
      () => sendQuery(`{ users(search: "${'x'.repeat(1024 * 1024)}") { edges { cursor } } }`),
      413,
      'PAYLOAD_TOO_LARGE',
    ],
    [
      'a 500 kB string argument',
      () => sendQuery(`{ users(search: "${'x'.repeat(500 * 1024)}") { edges { cursor } } }`),
      200,
      'BAD_USER_INPUT',
    ],
    [
      'a huge list variable',
      () => sendQuery(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: Array.from({ length: 50_000 }, () => 'VXNlcjox') }),
      400,
      'BAD_USER_INPUT',
    ],
    [
      'a deeply nested variable',
      () => send(`{"query":"query($ids: [ID!]!) { nodes(ids: $ids) { id } }","variables":{"ids":${'['.repeat(5000)}${']'.repeat(5000)}}}`),
      400,
      'BAD_USER_INPUT',
    ],
    ['malformed JSON', () => send('{"query": "{ __typename }"'), 400, 'BAD_REQUEST'],
    ['a wrong content type', () => send('{"query":"{ __typename }"}', { 'content-type': 'text/plain' }), 415, 'BAD_REQUEST'],
    [
      'a 2 MB body',
      () => send(JSON.stringify({ query: '{ __typename }', extensions: { pad: 'x'.repeat(2 * 1024 * 1024) } })),
      413,
      'PAYLOAD_TOO_LARGE',
    ],
    [
      'an operation batch',
      () => send(JSON.stringify(Array.from({ length: 50 }, () => ({ query: '{ viewer { id } }' })))),
      400,
      'BAD_REQUEST',
    ],
  ])('%s → %i %s', async (_name, request, status, code) => {
    const sent = await request();
    expect(sent.status, sent.text.slice(0, 300)).toBe(status);
    expect(codeOf(sent)).toBe(code);
    expect(sent.statements).toBe(0);
    expect(sent.text).not.toMatch(LEAKS);
  });
});

test('a password-guessing loop: UNAUTHENTICATED ten times, then RATE_LIMITED before any SQL', async () => {
  const guess = (i: number) =>
    sendQuery(`mutation($input: LogInInput!) { logIn(input: $input) { token } }`, { input: { email: adaEmail, password: `guess-${i}` } });
  const codes: string[] = [];
  for (let i = 0; i < 12; i++) codes.push(codeOf(await guess(i)));
  expect(codes).toEqual([...Array(10).fill('UNAUTHENTICATED'), 'RATE_LIMITED', 'RATE_LIMITED']);
  const last = await guess(99);
  expect(last.status).toBe(429);
  expect(last.statements).toBe(0);
  expect(last.text).not.toMatch(LEAKS);
});

test('the process is healthy after the whole corpus', async () => {
  const res = await app.fetch('/health');
  expect(res.status).toBe(200);
});

// Every error a client can get has a GraphQL body with a contract extensions.code, and the
// status the contract gives (GraphQL-over-HTTP: 4xx for request errors when the client accepts
// application/graphql-response+json, 200 when it accepts only application/json).
import { beforeAll, describe, expect, test } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});

const GRAPHQL_RESPONSE = 'application/graphql-response+json';

async function send(init: { method?: string; path?: string; body?: string; contentType?: string | null; accept?: string }) {
  const headers: Record<string, string> = { accept: init.accept ?? GRAPHQL_RESPONSE };
  if (init.contentType !== null) headers['content-type'] = init.contentType ?? 'application/json';
  const response = await app.fetch(init.path ?? '/graphql', { method: init.method ?? 'POST', headers, body: init.body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: JSON.parse(text) };
}

const codeOf = (body: any) => body.errors?.[0]?.extensions?.code;

/** What a browser form with enctype="multipart/form-data" sends: no CORS preflight guards it. */
const FORM_DATA = '--b\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{"query":"{ __typename }"}\r\n--b--\r\n';
/** Lists (fields → type → fields …) nested past graphql's introspection rule. */
const DEEP_INTROSPECTION = '{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }';

describe('request errors', () => {
  test.each([
    ['malformed JSON', { body: '{"query": ' }, 400, 'BAD_REQUEST'],
    ['a body without a query', { body: '{}' }, 400, 'BAD_REQUEST'],
    ['a mutation over GET', { method: 'GET', path: '/graphql?query=mutation%7B__typename%7D', contentType: null }, 405, 'BAD_REQUEST'],
    ['an unsupported method', { method: 'PUT', body: '{"query":"{ __typename }"}' }, 405, 'BAD_REQUEST'],
    ['an unsupported content type', { body: '{"query":"{ __typename }"}', contentType: 'text/plain' }, 415, 'BAD_REQUEST'],
    ['an Accept the server cannot answer', { body: '{"query":"{ __typename }"}', accept: 'application/xml' }, 406, 'BAD_REQUEST'],
    ['a syntax error', { body: '{"query":"{ posts { "}' }, 400, 'GRAPHQL_PARSE_FAILED'],
    ['an unknown field', { body: '{"query":"{ nope }"}' }, 400, 'GRAPHQL_VALIDATION_FAILED'],
    [
      'a variable of the wrong type',
      { body: '{"query":"query($n: Int) { posts(first: $n) { edges { cursor } } }","variables":{"n":"x"}}' },
      400,
      'BAD_USER_INPUT',
    ],
    ['a missing required variable', { body: '{"query":"query($id: ID!) { node(id: $id) { id } }"}' }, 400, 'BAD_USER_INPUT'],
    ['several operations without operationName', { body: '{"query":"query A { __typename } query B { __typename }"}' }, 400, 'BAD_REQUEST'],
    ['an operationName that names no operation', { body: '{"query":"query A { __typename }","operationName":"C"}' }, 400, 'BAD_REQUEST'],
    [
      'GET with variables that are not JSON',
      { method: 'GET', path: '/graphql?query=%7B__typename%7D&variables=%7Bnope', contentType: null },
      400,
      'BAD_REQUEST',
    ],
    [
      'GET with extensions that are not JSON',
      { method: 'GET', path: '/graphql?query=%7B__typename%7D&extensions=nope', contentType: null },
      400,
      'BAD_REQUEST',
    ],
    ['a multipart/form-data body', { body: FORM_DATA, contentType: 'multipart/form-data; boundary=b' }, 415, 'BAD_REQUEST'],
    [
      'an application/x-www-form-urlencoded body',
      { body: 'query=%7B__typename%7D', contentType: 'application/x-www-form-urlencoded' },
      415,
      'BAD_REQUEST',
    ],
    ['introspection nested deeper than its limit', { body: JSON.stringify({ query: DEEP_INTROSPECTION }) }, 400, 'QUERY_TOO_DEEP'],
  ] as const)('%s → %i %s', async (_label, request, status, code) => {
    const res = await send(request);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/json/);
    expect(codeOf(res.body)).toBe(code);
    expect(res.body.errors[0].message).toEqual(expect.any(String));
  });

  test('a client that accepts only application/json gets 200 for GraphQL request errors', async () => {
    for (const body of [
      '{"query":"{ posts { "}',
      '{"query":"{ nope }"}',
      '{"query":"query($n: Int) { posts(first: $n) { edges { cursor } } }","variables":{"n":"x"}}',
    ]) {
      const res = await send({ body, accept: 'application/json' });
      expect(res.status).toBe(200);
      expect(codeOf(res.body)).toMatch(/GRAPHQL_PARSE_FAILED|GRAPHQL_VALIDATION_FAILED|BAD_USER_INPUT/);
    }
  });

  test('a malformed HTTP request stays 4xx whatever the client accepts', async () => {
    const res = await send({ body: '{"query": ', accept: 'application/json' });
    expect(res.status).toBe(400);
    expect(codeOf(res.body)).toBe('BAD_REQUEST');
  });

  test('a wrongly typed variable names the variable', async () => {
    const res = await send({ body: '{"query":"query($n: Int) { posts(first: $n) { edges { cursor } } }","variables":{"n":"x"}}' });
    expect(res.body.errors[0].extensions.details).toEqual([{ field: '$n', message: expect.stringContaining('$n') }]);
  });

  test('nothing internal leaks: no stack, no parser internals', async () => {
    const res = await send({ body: '{"query": ' });
    expect(res.text).not.toMatch(/stack|SyntaxError|originalError|at .*\.js/);
  });

  test('an unknown path is 404 NOT_FOUND with a GraphQL body', async () => {
    const res = await send({ method: 'GET', path: '/nope', contentType: null });
    expect(res.status).toBe(404);
    expect(codeOf(res.body)).toBe('NOT_FOUND');
  });
});

describe('queries over GET', () => {
  test('a query works over GET', async () => {
    const res = await send({ method: 'GET', path: '/graphql?query=%7B__typename%7D', contentType: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { __typename: 'Query' }, extensions: { cost: { requested: 1, limit: 1000 } } });
  });
});

describe('CORS', () => {
  test('a preflight from another origin is allowed, with the headers a front-end sends', async () => {
    const response = await app.fetch('/graphql', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,idempotency-key,x-request-id',
      },
    });
    expect(response.status).toBeLessThan(300);
    expect(response.headers.get('access-control-allow-origin')).toMatch(/^(\*|https:\/\/app\.example)$/);
    const allowed = response.headers.get('access-control-allow-headers')?.toLowerCase() ?? '';
    for (const header of ['authorization', 'content-type', 'idempotency-key', 'x-request-id']) expect(allowed).toContain(header);
  });

  test('responses expose the headers a front-end reads', async () => {
    const response = await app.fetch('/graphql', {
      method: 'POST',
      headers: { origin: 'https://app.example', 'content-type': 'application/json' },
      body: '{"query":"{ __typename }"}',
    });
    const exposed = response.headers.get('access-control-expose-headers')?.toLowerCase() ?? '';
    for (const header of [
      'x-request-id',
      'x-ratelimit-limit',
      'x-ratelimit-remaining',
      'x-ratelimit-reset',
      'retry-after',
      'idempotency-replay',
    ]) {
      expect(exposed).toContain(header);
    }
  });

  test('CORS_ORIGINS allows only the origins it lists', async () => {
    const strict = await startTestApp({ env: { CORS_ORIGINS: 'https://good.example, https://also.example' } });
    const ask = (origin: string) =>
      strict.fetch('/graphql', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
    expect((await ask('https://good.example')).headers.get('access-control-allow-origin')).toBe('https://good.example');
    expect((await ask('https://also.example')).headers.get('access-control-allow-origin')).toBe('https://also.example');
    expect((await ask('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });

  test('in production with no CORS_ORIGINS, no origin is allowed', async () => {
    const prod = await startTestApp({ env: { NODE_ENV: 'production', JWT_SECRET: 'a-test-secret-that-is-long-enough-1234' } });
    const response = await prod.fetch('/graphql', {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('X-Request-ID', () => {
  test('a short plain id is echoed; anything else is replaced by a fresh one', async () => {
    const ask = (id: string) =>
      app.fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': id },
        body: '{"query":"{ __typename }"}',
      });
    expect((await ask('trace-42.a:b_c')).headers.get('x-request-id')).toBe('trace-42.a:b_c');
    const replaced = (await ask('<script>')).headers.get('x-request-id');
    expect(replaced).toMatch(/^[0-9a-f-]{36}$/);
    expect((await ask('x'.repeat(129))).headers.get('x-request-id')).not.toBe('x'.repeat(129));
  });

  test('errors carry it too', async () => {
    const res = await send({ body: '{"query": ' });
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });
});

test('a cross-site HTML form cannot sign anyone up: both form encodings are 415 and write nothing', async () => {
  const mutation = 'mutation { createUser(input: { name: "Form", email: "form@example.com", password: "form-password-1" }) { token } }';
  const urlEncoded = await send({
    body: new URLSearchParams({ query: mutation }).toString(),
    contentType: 'application/x-www-form-urlencoded',
  });
  const multipart = await send({
    body: FORM_DATA.replace('{ __typename }', mutation.replaceAll('"', '\\"')),
    contentType: 'multipart/form-data; boundary=b',
  });
  for (const res of [urlEncoded, multipart]) {
    expect(res.status).toBe(415);
    expect(codeOf(res.body)).toBe('BAD_REQUEST');
  }
  const logIn = await app.query('mutation { logIn(input: { email: "form@example.com", password: "form-password-1" }) { token } }');
  expect(logIn.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
});

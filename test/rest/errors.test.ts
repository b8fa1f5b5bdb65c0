// Every error status of rest.md's "Statuses" table that a client can provoke, each in the error
// envelope with its code (the REST client checks each against the OpenAPI document too).
import { encodeGlobalID } from '@pothos/plugin-relay';
import { beforeAll, describe, expect, it } from 'vitest';
import { given } from '../support/given.js';
import { restClient, type RestClient, type RestResponse } from '../support/rest-client.js';
import { bearer, signIn, type Session } from '../support/sign-in.js';
import { lockTable } from '../support/table-lock.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let rest: RestClient;
let ada: Session;
beforeAll(async () => {
  app = await startTestApp();
  rest = restClient(app);
  ada = await signIn(app, await given(app).user());
});

function expectError(res: RestResponse, status: number, code: string) {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  expect(res.body).toMatchObject({ success: false, error: { message: expect.any(String), details: expect.any(Array) } });
  expect(res.body.meta.request_id).toBe(res.headers.get('x-request-id'));
}

const newPost = { title: 'Hello', content: 'World' };

describe('400', () => {
  it('a malformed JSON body is BAD_REQUEST', async () => {
    const res = await rest.post('/v1/posts', { headers: { ...ada.headers, 'content-type': 'application/json' }, rawBody: '{"title": ' });
    expectError(res, 400, 'BAD_REQUEST');
  });

  it('bad input is BAD_USER_INPUT with details', async () => {
    const res = await rest.post('/v1/posts', { headers: ada.headers, json: { title: '', content: 'x' } });
    expectError(res, 400, 'BAD_USER_INPUT');
    expect(res.body.error.details).toMatchObject([{ field: 'title' }]);
  });
});

describe('401 with WWW-Authenticate: Bearer', () => {
  const expectUnauthenticated = (res: RestResponse) => {
    expectError(res, 401, 'UNAUTHENTICATED');
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  };

  it('no token on a signed-in route', async () => {
    expectUnauthenticated(await rest.get('/v1/me'));
    expectUnauthenticated(await rest.post('/v1/posts', { json: newPost }));
    expectUnauthenticated(await rest.put('/v1/me/likes/UG9zdDox'));
  });

  it('an invalid token on any route, even a public read', async () => {
    const invalid = bearer('not.a.token');
    expectUnauthenticated(await rest.get('/v1/posts', invalid));
    expectUnauthenticated(await rest.get('/v1/users', invalid));
    expectUnauthenticated(await rest.get('/v1/me', invalid));
    expectUnauthenticated(await rest.post('/v1/posts', { ...invalid, json: newPost }));
  });
});

describe('404 NOT_FOUND', () => {
  it('an id that names nothing', async () => {
    const author = await given(app).user();
    const post = await given(app).post({ by: author });
    const comment = await given(app).comment({ on: post, by: author });
    expectError(await rest.get(`/v1/posts/${encodeURIComponent(comment.gid)}`), 404, 'NOT_FOUND'); // another type's id
    expectError(await rest.get(`/v1/users/${encodeGlobalID('User', 9_999_999)}`), 404, 'NOT_FOUND');
  });

  it('a path that is not a route', async () => {
    expectError(await rest.get('/v1/nothing-here'), 404, 'NOT_FOUND');
    expectError(await rest.get('/v1/posts/UG9zdDox/likes'), 404, 'NOT_FOUND');
  });
});

describe('other BAD_REQUEST statuses', () => {
  it('405 with Allow for a method the path does not take', async () => {
    const res = await rest.put('/v1/posts', { headers: ada.headers, json: newPost });
    expectError(res, 405, 'BAD_REQUEST');
    expect(res.headers.get('allow')).toBe('GET, POST, HEAD');
  });

  it('406 when the client accepts only text/html', async () => {
    expectError(await rest.get('/v1/posts', { headers: { accept: 'text/html' } }), 406, 'BAD_REQUEST');
  });

  it('415 for a text/plain or form body', async () => {
    const text = { ...ada.headers, 'content-type': 'text/plain' };
    expectError(await rest.post('/v1/posts', { headers: text, rawBody: JSON.stringify(newPost) }), 415, 'BAD_REQUEST');
    const form = { ...ada.headers, 'content-type': 'application/x-www-form-urlencoded' };
    expectError(await rest.post('/v1/posts', { headers: form, rawBody: 'title=Hello&content=World' }), 415, 'BAD_REQUEST');
  });
});

it('409 CONFLICT: signing up with an email already registered, in any case', async () => {
  await given(app).user({ email: 'taken@example.com' });
  const res = await rest.post('/v1/users', { json: { name: 'Ann', email: 'TAKEN@example.com', password: 'password123' } });
  expectError(res, 409, 'CONFLICT');
});

it('400 IDEMPOTENCY_KEY_REQUIRED when the server requires keys; sign-up needs none', async () => {
  const strict = await startTestApp({ env: { REQUIRE_IDEMPOTENCY_KEY: 'true' } });
  const strictRest = restClient(strict);
  const signedUp = await strictRest.post('/v1/users', { json: { name: 'Ann', email: 'ann@example.com', password: 'password123' } });
  expect(signedUp.status).toBe(201);
  const headers = bearer(signedUp.body.data.token).headers;
  expectError(await strictRest.post('/v1/posts', { headers, json: newPost }), 400, 'IDEMPOTENCY_KEY_REQUIRED');
  const keyed = await strictRest.post('/v1/posts', { headers: { ...headers, 'idempotency-key': 'k1' }, json: newPost });
  expect(keyed.status).toBe(201);
});

it('413 PAYLOAD_TOO_LARGE for a body over MAX_BODY_BYTES, and the server keeps serving', async () => {
  const small = await startTestApp({ env: { MAX_BODY_BYTES: '1024' } });
  const smallRest = restClient(small);
  const session = await signIn(small, await given(small).user());
  const res = await smallRest.post('/v1/posts', { headers: session.headers, json: { title: 'Big', content: 'x'.repeat(2000) } });
  expectError(res, 413, 'PAYLOAD_TOO_LARGE');
  expect((await smallRest.post('/v1/posts', { headers: session.headers, json: newPost })).status).toBe(201);
});

it('429 RATE_LIMITED with Retry-After once the budget is spent, with the rate-limit headers', async () => {
  const limited = await startTestApp({ env: { RATE_LIMIT_POINTS: '30' } });
  const limitedRest = restClient(limited);
  let res: RestResponse | undefined;
  for (let i = 0; i < 40; i++) {
    res = await limitedRest.get('/v1/posts?limit=1');
    expect(res.headers.get('x-ratelimit-limit')).toBe('30');
    expect(res.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
    expect(res.headers.get('x-ratelimit-reset')).toMatch(/^\d+$/);
    if (res.status !== 200) break;
  }
  expectError(res!, 429, 'RATE_LIMITED');
  expect(Number(res!.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(res!.headers.get('x-ratelimit-remaining')).toBe('0');
});

it.skipIf(!process.env.DATABASE_URL)('503 SERVICE_UNAVAILABLE while the database cannot answer, and 200 once it can', async () => {
  const slow = await startTestApp({ env: { DATABASE_STATEMENT_TIMEOUT_MS: '300' } });
  if (slow.database.driver !== 'pg') throw new Error('expected a Postgres test app');
  const slowRest = restClient(slow);
  await given(slow).post({ by: await given(slow).user() });
  const lock = await lockTable(String(slow.database.pool.options.connectionString), 'posts');
  try {
    const res = await slowRest.get('/v1/posts');
    expectError(res, 503, 'SERVICE_UNAVAILABLE');
    expect(JSON.stringify(res.body)).not.toMatch(/select |from "|timeout|canceling|5432/i);
  } finally {
    await lock.release();
  }
  const after = await slowRest.get('/v1/posts');
  expect(after.status).toBe(200);
  expect(after.body.data).toHaveLength(1);
});

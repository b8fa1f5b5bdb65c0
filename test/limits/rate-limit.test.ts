// Rate limits per identity (the user, else the client address), the X-RateLimit-* headers,
// the 429 path, TRUST_PROXY, and the brute-force budget of logIn and createUser.
import { describe, expect, test } from 'vitest';
import { given, GIVEN_PASSWORD } from '../support/given.js';
import { errorOf, signIn } from '../support/sign-in.js';
import { startTestApp } from '../support/test-app.js';

const LOG_IN = `mutation($input: LogInInput!) { logIn(input: $input) { token } }`;

describe('headers', () => {
  test('every /graphql response carries X-RateLimit-*, errors included; Reset is in epoch seconds', async () => {
    const app = await startTestApp();
    const before = Math.floor(Date.now() / 1000);
    const ok = await app.query(`{ posts(first: 2) { edges { cursor } } }`);
    const after = Math.ceil(Date.now() / 1000); // the window opens somewhere between the two
    expect(ok.headers.get('x-ratelimit-limit')).toBe('10000');
    expect(ok.headers.get('x-ratelimit-remaining')).toBe(String(10_000 - 5)); // 1 + 2 × (1 + 1)
    const reset = Number(ok.headers.get('x-ratelimit-reset'));
    expect(reset).toBeGreaterThanOrEqual(before + 60);
    expect(reset).toBeLessThanOrEqual(after + 60);
    const parseError = await app.query(`{ posts {`);
    expect(parseError.status).toBe(400);
    expect(parseError.headers.get('x-ratelimit-remaining')).toBe(String(10_000 - 6)); // charged its point before parsing
    const getQuery = await app.fetch('/graphql?query=%7B__typename%7D');
    expect(getQuery.headers.get('x-ratelimit-remaining')).toBe(String(10_000 - 7));
  });

  test('a refused operation takes 1 point', async () => {
    const app = await startTestApp();
    await app.query(`{ posts(first: 0) { edges { cursor } } }`);
    expect((await app.query(`{ __typename }`)).headers.get('x-ratelimit-remaining')).toBe(String(10_000 - 2));
  });
});

describe('over budget', () => {
  test('429 RATE_LIMITED with Retry-After and extensions.retryAfter, before any SQL', async () => {
    const app = await startTestApp({ env: { RATE_LIMIT_POINTS: '5', RATE_LIMIT_WINDOW_SECONDS: '120' } });
    for (let i = 0; i < 5; i++) expect((await app.query(`{ __typename }`)).status).toBe(200);
    const res = await app.query(`{ posts { edges { cursor } } }`);
    expect(res.status).toBe(429);
    const error = errorOf(res);
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.retryAfter).toBeGreaterThan(100);
    expect(error.retryAfter).toBeLessThanOrEqual(120);
    expect(res.headers.get('retry-after')).toBe(String(error.retryAfter));
    expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(res.statements).toBe(0);
  });

  test('an operation is charged its cost: one that costs more than is left is refused', async () => {
    const app = await startTestApp({ env: { RATE_LIMIT_POINTS: '30' } });
    const page = `{ posts(first: 10) { edges { cursor } } }`; // 1 + 10 × 2 = 21
    expect((await app.query(page)).status).toBe(200);
    expect((await app.query(page)).status).toBe(429);
  });

  test('a signed-in user has a budget of their own, apart from their address', async () => {
    const app = await startTestApp({ env: { RATE_LIMIT_POINTS: '2' } });
    const session = await signIn(app, await given(app).user()); // logIn { token } costs 2: the address is spent
    expect((await app.query(`{ __typename }`)).status).toBe(429);
    const res = await app.query(`{ viewer { id } }`, undefined, session);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
  });
});

describe('TRUST_PROXY', () => {
  const from = (forwardedFor: string) => ({ headers: { 'x-forwarded-for': forwardedFor } });

  test('unset: X-Forwarded-For is ignored, every client behind one address shares its budget', async () => {
    const app = await startTestApp({ env: { RATE_LIMIT_POINTS: '2' } });
    await app.query(`{ __typename }`, undefined, from('203.0.113.1'));
    await app.query(`{ __typename }`, undefined, from('203.0.113.2'));
    expect((await app.query(`{ __typename }`, undefined, from('203.0.113.3'))).status).toBe(429);
  });

  test('set: the client is the rightmost address that is not a trusted proxy', async () => {
    const app = await startTestApp({ env: { RATE_LIMIT_POINTS: '2', TRUST_PROXY: '127.0.0.1, ::1, 10.0.0.0/8' } });
    // What the client wrote (the leftmost) does not matter; 10.1.2.3 is a trusted proxy hop.
    expect((await app.query(`{ __typename }`, undefined, from('1.1.1.1, 203.0.113.7, 10.1.2.3'))).status).toBe(200);
    expect((await app.query(`{ __typename }`, undefined, from('9.9.9.9, 203.0.113.7'))).status).toBe(200);
    expect((await app.query(`{ __typename }`, undefined, from('203.0.113.7'))).status).toBe(429);
    // Another client behind the same proxy has its own budget.
    expect((await app.query(`{ __typename }`, undefined, from('203.0.113.8'))).status).toBe(200);
  });
});

describe('brute force: logIn and createUser', () => {
  test('after 10 failed logIns for an email, even the right password waits; other emails do not', async () => {
    const app = await startTestApp();
    const ada = await given(app).user();
    const bob = await given(app).user();
    for (let i = 0; i < 10; i++) {
      const res = await app.query(LOG_IN, { input: { email: ada.email, password: `guess-${i}` } });
      expect(errorOf(res).code).toBe('UNAUTHENTICATED');
    }
    const res = await app.query(LOG_IN, { input: { email: ada.email.toUpperCase(), password: GIVEN_PASSWORD } });
    expect(res.status).toBe(429);
    expect(errorOf(res)).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
    expect(res.statements).toBe(0);
    expect((await app.query(LOG_IN, { input: { email: bob.email, password: GIVEN_PASSWORD } })).data.logIn.token).toEqual(
      expect.any(String),
    );
  });

  test('a successful logIn clears its email failures', async () => {
    const app = await startTestApp({ env: { AUTH_RATE_LIMIT_EMAIL_FAILURES: '2' } });
    const ada = await given(app).user();
    await app.query(LOG_IN, { input: { email: ada.email, password: 'wrong-1' } });
    expect((await app.query(LOG_IN, { input: { email: ada.email, password: GIVEN_PASSWORD } })).status).toBe(200);
    await app.query(LOG_IN, { input: { email: ada.email, password: 'wrong-2' } });
    expect(errorOf(await app.query(LOG_IN, { input: { email: ada.email, password: 'wrong-3' } })).code).toBe('UNAUTHENTICATED');
  });

  test('per client address, every attempt counts, each alias as one', async () => {
    const app = await startTestApp({ env: { AUTH_RATE_LIMIT_ADDRESS_ATTEMPTS: '5' } });
    const aliased = `mutation { ${[1, 2, 3, 4].map((i) => `a${i}: logIn(input: { email: "x${i}@example.com", password: "guess" }) { token }`).join(' ')} }`;
    const four = await app.query(aliased);
    expect(four.errors?.every((e) => e.extensions.code === 'UNAUTHENTICATED')).toBe(true);
    const create = `mutation($input: CreateUserInput!) { createUser(input: $input) { token } }`;
    expect((await app.query(create, { input: { name: 'Eve', email: 'eve@example.com', password: 'long enough' } })).status).toBe(200);
    const res = await app.query(create, { input: { name: 'Eve', email: 'eve2@example.com', password: 'long enough' } });
    expect(res.status).toBe(429);
    expect(errorOf(res).code).toBe('RATE_LIMITED');
    expect(res.statements).toBe(0);
  });
});

// What the response cache never keeps (issue 15): answers with errors, partial answers, and the
// rate-limit budget; and what a hit still costs: its points, charged like any answer.
import { expect, test } from 'vitest';
import { given } from '../support/given.js';
import { startTestApp } from '../support/test-app.js';

const POSTS = '{ posts(first: 5) { edges { node { title } } } }';

test('an answer that is only an error is asked again each time', async () => {
  const app = await startTestApp({ env: { RESPONSE_CACHE_TTL_MS: '60000' } });
  await given(app).posts(1);
  const feed = '{ feed(first: 5) { edges { node { title } } } }';
  for (let i = 0; i < 2; i++) {
    const res = await app.query(feed);
    expect(res.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    expect(res.headers.get('x-cache')).toBe('MISS');
  }
});

test('a partial answer (data with an error beside it) is not cached: it runs again and keeps its error', async () => {
  const app = await startTestApp({ env: { RESPONSE_CACHE_TTL_MS: '60000' } });
  await given(app).posts(2);
  const partial = 'query($id: ID!) { post(id: $id) { title } posts(first: 5) { edges { node { title } } } }';
  for (let i = 0; i < 2; i++) {
    const res = await app.query(partial, { id: 'garbage' });
    expect(res.data.posts.edges).toHaveLength(2);
    expect(res.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    expect(res.headers.get('x-cache')).toBe('MISS');
    expect(res.statements).toBeGreaterThan(0);
  }
});

test('rateLimit is never answered from the cache: the budget it shows goes down, also beside other fields', async () => {
  const app = await startTestApp({ env: { RESPONSE_CACHE_TTL_MS: '60000' } });
  await given(app).posts(1);
  for (const query of ['{ rateLimit { remaining } }', `{ rateLimit { remaining } ${POSTS.slice(1)}`]) {
    const first = await app.query(query);
    const second = await app.query(query);
    expect(second.data.rateLimit.remaining, query).toBeLessThan(first.data.rateLimit.remaining);
    expect(second.headers.get('x-cache')).toBeNull();
  }
});

test('a cached answer is charged its cost, until the budget is spent and the answer is 429', async () => {
  const points = 100;
  const app = await startTestApp({
    env: { RESPONSE_CACHE_TTL_MS: '60000', RATE_LIMIT_POINTS: String(points), RATE_LIMIT_WINDOW_SECONDS: '600' },
  });
  await given(app).posts(1);
  const miss = await app.query(POSTS);
  const cost = points - Number(miss.headers.get('x-ratelimit-remaining'));
  expect(cost).toBeGreaterThan(1);
  const hit = await app.query(POSTS);
  expect(hit.headers.get('x-cache')).toBe('HIT');
  expect(Number(hit.headers.get('x-ratelimit-remaining'))).toBe(points - 2 * cost);

  let res = hit;
  for (let spent = 2 * cost; spent + cost <= points; spent += cost) res = await app.query(POSTS);
  expect(res.status).toBe(200);
  const refused = await app.query(POSTS);
  expect(refused.status).toBe(429);
  expect(refused.errors?.[0]?.extensions.code).toBe('RATE_LIMITED');
});

test('an answer over 512 KiB is not cached; a small one of the same data is', async () => {
  const app = await startTestApp({ env: { RESPONSE_CACHE_TTL_MS: '60000' } });
  const [ada] = await given(app).users(1);
  // 60 posts of 10,000 characters: some 600 KiB of JSON.
  for (let i = 0; i < 60; i++) await given(app).post({ by: ada!, content: 'x'.repeat(10_000) });
  const large = '{ posts(first: 100) { edges { node { content } } } }';
  for (let i = 0; i < 2; i++) {
    const res = await app.query(large);
    expect(res.data.posts.edges).toHaveLength(60);
    expect(res.headers.get('x-cache')).toBe('MISS');
  }
  await app.query(POSTS);
  expect((await app.query(POSTS)).headers.get('x-cache')).toBe('HIT');
});

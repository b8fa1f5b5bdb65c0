// GET /metrics (the contract's "Operations"): Prometheus text with the process defaults and
// what the server did, scraped from the real server after real requests.
import { describe, expect, test } from 'vitest';
import { createDeprecationRegistry } from '../../src/api/deprecation-registry.js';
import { given } from '../support/given.js';
import { sample, scrape, scrapeUntil } from '../support/metrics.js';
import { signIn } from '../support/sign-in.js';
import { startTestApp } from '../support/test-app.js';
import { connectWs } from '../support/ws-client.js';

describe('on the main port', () => {
  test('operations are timed by name and type, and errors counted by code', async () => {
    const app = await startTestApp({ env: { RESPONSE_CACHE: 'false' } });
    await given(app).posts(2);
    await app.query('query FrontPage { posts(first: 2) { edges { node { title } } } }');
    await app.query('query FrontPage { posts(first: 2) { edges { node { title } } } }');
    await app.query('{ node(id: "not an id") { id } }');
    await app.query('mutation Write { createPost(input: { title: "x", content: "y" }) { id } }');
    await app.query('{ posts { nope } }');

    const text = await scrape(app);
    expect(sample(text, 'graphql_operation_duration_seconds_count{operation_name="FrontPage",operation_type="query"}')).toBe(2);
    expect(sample(text, 'graphql_operation_duration_seconds_count{operation_name="anonymous",operation_type="query"}')).toBe(1);
    expect(sample(text, 'graphql_operation_duration_seconds_count{operation_name="Write",operation_type="mutation"}')).toBe(1);
    expect(sample(text, 'graphql_errors_total{code="BAD_USER_INPUT"}')).toBe(1);
    expect(sample(text, 'graphql_errors_total{code="UNAUTHENTICATED"}')).toBe(1);
    expect(sample(text, 'graphql_errors_total{code="GRAPHQL_VALIDATION_FAILED"}')).toBe(1);
    expect(text).toMatch(/^process_cpu_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d/m);
    expect(text).toMatch(/^db_pool_connections\{state="in_use"\} \d/m);
    const post = await app.fetch('/metrics', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect((await post.json()).errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  test('response cache lookups are counted by outcome', async () => {
    const app = await startTestApp({ env: { RESPONSE_CACHE_TTL_MS: '60000' } });
    for (let i = 0; i < 3; i++) await app.query('{ posts(first: 1) { edges { cursor } } }');
    const text = await scrape(app);
    expect(sample(text, 'response_cache_lookups_total{outcome="miss"}')).toBe(1);
    expect(sample(text, 'response_cache_lookups_total{outcome="hit"}')).toBe(2);
  });

  test('operation names a client makes up cannot grow the label set without bound', async () => {
    const app = await startTestApp({ env: { RESPONSE_CACHE: 'false', RATE_LIMIT_POINTS: '100000' } });
    for (let i = 0; i < 230; i++) await app.query(`query Made${i} { __typename }`);
    await app.query(`query ${'L'.repeat(150)} { __typename }`);
    const names = new Set(
      [...(await scrape(app)).matchAll(/^graphql_operation_duration_seconds_count\{operation_name="([^"]*)"/gm)].map((match) => match[1]),
    );
    expect(names.size).toBeLessThanOrEqual(201);
    expect(names).toContain('Made0');
    expect(names).toContain('other');
    expect(names).not.toContain('L'.repeat(150));
  });
});

test('with METRICS_PORT, /metrics is served there only', async () => {
  const app = await startTestApp({ env: { METRICS_PORT: '0' } });
  expect(app.metricsUrl.port).not.toBe(app.url.port);
  expect(await scrape(app)).toMatch(/^process_cpu_seconds_total /m);
  expect((await app.fetch('/metrics')).status).toBe(404);
  const elsewhere = await fetch(new URL('/graphql', app.metricsUrl));
  expect(elsewhere.status).toBe(404);
  expect((await elsewhere.json()).errors[0].extensions.code).toBe('NOT_FOUND');
});

test('with METRICS=false, /metrics is a JSON 404 and everything else still answers', async () => {
  const app = await startTestApp({ env: { METRICS: 'false' } });
  const res = await app.fetch('/metrics');
  expect(res.status).toBe(404);
  expect(await res.json()).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'NOT_FOUND' } }] });
  expect((await app.query('{ posts(first: 1) { edges { cursor } } }')).status).toBe(200);
  expect((await app.fetch('/v1/posts?limit=1')).status).toBe(200);
});

test('a deprecated field in use is counted by its coordinate', async () => {
  const deprecations = createDeprecationRegistry([
    { target: 'Post.likesCount', since: '2027-01-15', sunset: '2027-07-15', reason: 'Use likes.totalCount.' },
  ]);
  const app = await startTestApp({ app: { deprecations }, env: { RESPONSE_CACHE: 'false' } });
  await given(app).posts(2);
  await app.query('{ posts(first: 2) { edges { node { likesCount } } } }');
  await app.query('{ posts(first: 2) { edges { node { title } } } }');
  await app.query('{ a: posts(first: 1) { edges { node { likesCount } } } b: posts(first: 1) { edges { node { likesCount } } } }');
  // Once per operation that selected it, however many times it resolved.
  expect(sample(await scrape(app), 'graphql_deprecated_field_usage_total{field="Post.likesCount"}')).toBe(2);
});

test('open WebSockets and subscribers by field are gauged', async () => {
  const app = await startTestApp();
  const connection = connectWs(app.url);
  await connection.acknowledged;
  const subscription = connection.subscribe('subscription { postCreated { title } }');
  // graphql-ws never says when a subscription has started: poll the gauge, as a scraper would.
  let text = await scrapeUntil(app, 'subscriptions_active{field="postCreated"}', 1);
  expect(sample(text, 'subscriptions_active{field="postCreated"}')).toBe(1);
  expect(sample(text, 'subscriptions_active{field="commentAdded"}')).toBe(0);
  expect(sample(text, 'websocket_connections_open')).toBe(1);

  subscription.stop();
  await connection.dispose();
  text = await scrapeUntil(app, 'websocket_connections_open', 0);
  expect(sample(text, 'websocket_connections_open')).toBe(0);
  expect(sample(text, 'subscriptions_active{field="postCreated"}')).toBe(0);
});

test('a subscription event is counted once published and once per subscriber it reaches', async () => {
  const app = await startTestApp();
  const session = await signIn(app, await given(app).user());
  const connection = connectWs(app.url);
  const subscription = connection.subscribe('subscription { postCreated { title } }');
  await scrapeUntil(app, 'subscriptions_active{field="postCreated"}', 1);

  await app.query('mutation { createPost(input: { title: "Hello", content: "Body." }) { id } }', {}, session);
  await subscription.waitFor((result) => result.data?.postCreated.title === 'Hello');
  const text = await scrape(app);
  expect(sample(text, 'subscription_events_published_total{field="postCreated"}')).toBe(1);
  expect(sample(text, 'subscription_events_delivered_total{field="postCreated"}')).toBe(1);
  expect(sample(text, 'subscription_events_published_total{field="commentAdded"}')).toBe(0);
});

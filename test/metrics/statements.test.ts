// What the metrics say of the SQL behind each operation: the statements a request sent (what an
// N+1 regression would raise), and the keys of each DataLoader batch (what batching saves).
import { beforeAll, expect, test } from 'vitest';
import { given } from '../support/given.js';
import { sample, scrape } from '../support/metrics.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
beforeAll(async () => {
  // The cache stays on (the default): a hit is one of the cases.
  app = await startTestApp({ env: { RESPONSE_CACHE_TTL_MS: '60000' } });
  await given(app).posts(4, { commentsEach: 2 });
});

const FRONT_PAGE = `query FrontPage { posts(first: 4) { edges { node { title commentsCount author { name } } } } }`;
const statements = (name: string, type = 'query') => `graphql_operation_sql_statements{operation_name="${name}",operation_type="${type}"}`;
const histogram = (series: string, part: 'count' | 'sum') => series.replace('{', `_${part}{`);

test('a named query is observed once, with the statements the driver sent for it', async () => {
  const res = await app.query(FRONT_PAGE);
  expect(res.errors).toBeUndefined();
  expect(res.statements).toBeGreaterThan(0);
  expect(res.statements).toBeLessThanOrEqual(3);
  const text = await scrape(app);
  expect(sample(text, histogram(statements('FrontPage'), 'count'))).toBe(1);
  expect(sample(text, histogram(statements('FrontPage'), 'sum'))).toBe(res.statements);
});

test('an answer from the response cache is observed with 0 statements', async () => {
  const before = sample(await scrape(app), histogram(statements('FrontPage'), 'sum'));
  const hit = await app.query(FRONT_PAGE);
  expect(hit.statements).toBe(0);
  const text = await scrape(app);
  expect(sample(text, histogram(statements('FrontPage'), 'count'))).toBe(2);
  expect(sample(text, histogram(statements('FrontPage'), 'sum'))).toBe(before);
  expect(sample(text, 'graphql_operation_sql_statements_bucket{le="0",operation_name="FrontPage",operation_type="query"}')).toBe(1);
});

test('a REST request is labelled by its route', async () => {
  const before = app.database.statementCount;
  const res = await app.fetch('/v1/posts?limit=2');
  expect(res.status).toBe(200);
  await res.text();
  const sent = app.database.statementCount - before;
  expect(sent).toBeGreaterThan(0);
  const text = await scrape(app);
  expect(sample(text, histogram(statements('GET /v1/posts'), 'count'))).toBe(1);
  expect(sample(text, histogram(statements('GET /v1/posts'), 'sum'))).toBe(sent);
});

test('a page of posts with their comments is one batch of the comment loader, one key per post', async () => {
  const batch = (loader: string, part: 'count' | 'sum') => `dataloader_batch_size_${part}{loader="${loader}"}`;
  const before = await scrape(app);
  const res = await app.query('query Comments { posts(first: 4) { edges { node { comments(first: 2) { edges { node { body } } } } } } }');
  expect(res.data.posts.edges).toHaveLength(4);
  const text = await scrape(app);
  const added = (series: string) => sample(text, series) - sample(before, series);
  expect(added(batch('commentPageByPost', 'count'))).toBe(1);
  expect(added(batch('commentPageByPost', 'sum'))).toBe(4);
  // The page of posts itself: one key (the page's arguments).
  expect(added(batch('postPageByArgs', 'count'))).toBe(1);
  expect(added(batch('postPageByArgs', 'sum'))).toBe(1);
});

// rest.md allows `limit` up to 100 on every list. A full page of posts with every field is a
// larger operation than the default cost limit lets a client write (1,601 points against 1,000),
// but a route's document is the server's, not the client's: it runs, and pays its cost.
import { beforeAll, expect, it } from 'vitest';
import { given } from '../support/given.js';
import { restClient, type RestClient } from '../support/rest-client.js';
import { startTestApp } from '../support/test-app.js';

let rest: RestClient;

beforeAll(async () => {
  const app = await startTestApp();
  rest = restClient(app);
  const author = await given(app).user();
  for (let i = 0; i < 3; i++) await given(app).post({ by: author });
});

it('GET /v1/posts?limit=100 answers under the default limits, and is charged its whole cost', async () => {
  const first = await rest.get('/v1/posts?limit=1');
  const page = await rest.get('/v1/posts?limit=100');
  expect(page.status).toBe(200);
  expect(page.body.data).toHaveLength(3);
  const charged = Number(first.headers.get('x-ratelimit-remaining')) - Number(page.headers.get('x-ratelimit-remaining'));
  expect(charged).toBeGreaterThan(1000);
});

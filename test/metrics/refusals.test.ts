// rate_limit_refusals_total{kind}: every client refused for going too fast is counted, by why.
import { expect, test } from 'vitest';
import { sample, scrape } from '../support/metrics.js';
import { sseSubscribe } from '../support/sse-client.js';
import { SCRAPES_PER_MINUTE } from '../../src/metrics/plugin.js';
import { startTestApp } from '../support/test-app.js';
import { connectWs } from '../support/ws-client.js';

const refusals = (kind: string) => `rate_limit_refusals_total{kind="${kind}"}`;

test('a request over the cost budget is counted as kind="budget"', async () => {
  const app = await startTestApp({ env: { RATE_LIMIT_POINTS: '2', RESPONSE_CACHE: 'false' } });
  const statuses = [];
  for (let i = 0; i < 4; i++) statuses.push((await app.query('{ __typename }')).status);
  const refused = statuses.filter((status) => status === 429).length;
  expect(refused).toBeGreaterThan(0);
  const text = await scrape(app);
  expect(sample(text, refusals('budget'))).toBe(refused);
  expect(sample(text, refusals('sign_in_attempts'))).toBe(0);
});

test('a log-in over the attempts per address is counted as kind="sign_in_attempts"', async () => {
  const app = await startTestApp({ env: { AUTH_RATE_LIMIT_ADDRESS_ATTEMPTS: '2' } });
  const logIn = `mutation($input: LogInInput!) { logIn(input: $input) { token } }`;
  const statuses = [];
  for (let i = 0; i < 3; i++)
    statuses.push((await app.query(logIn, { input: { email: 'nobody@example.com', password: `guess-${i}` } })).status);
  expect(statuses).toEqual([200, 200, 429]);
  const text = await scrape(app);
  expect(sample(text, refusals('sign_in_attempts'))).toBe(1);
  expect(sample(text, refusals('budget'))).toBe(0);
});

test('a WebSocket over the connections per address is counted as kind="websocket_connections"', async () => {
  const app = await startTestApp({ env: { WS_MAX_CONNECTIONS_PER_ADDRESS: '1' } });
  await connectWs(app.url).acknowledged;
  await connectWs(app.url).closed;
  expect(sample(await scrape(app), refusals('websocket_connections'))).toBe(1);
});

test('an SSE stream over the streams per address is counted as kind="sse_streams"', async () => {
  const app = await startTestApp({ env: { SSE_MAX_STREAMS_PER_ADDRESS: '1' } });
  const query = 'subscription { postCreated { id } }';
  expect((await sseSubscribe(app.url, query)).status).toBe(200);
  expect((await sseSubscribe(app.url, query)).status).toBe(429);
  expect(sample(await scrape(app), refusals('sse_streams'))).toBe(1);
});

// A scrape renders every series: on the main port, where anyone can ask, each address gets 60 a
// minute. The counter is read as another address (through a trusted proxy): the refused one must wait.
test('over 60 scrapes a minute from one address on the main port: 429 RATE_LIMITED, counted as kind="metrics_scrapes"', async () => {
  const app = await startTestApp({ env: { TRUST_PROXY: '127.0.0.1' } });
  const scrapeAs = (address: string) => fetch(app.metricsUrl, { headers: { 'x-forwarded-for': address } });
  for (let i = 0; i < SCRAPES_PER_MINUTE; i++) expect((await scrapeAs('203.0.113.7')).status).toBe(200);

  const refused = await scrapeAs('203.0.113.7');
  expect(refused.status).toBe(429);
  const retryAfter = Number(refused.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(60);
  const body = await refused.json();
  expect(body.errors[0].extensions).toEqual({ code: 'RATE_LIMITED', retryAfter });
  expect(body.errors[0].message).toContain('METRICS_PORT');

  const other = await scrapeAs('203.0.113.8');
  expect(other.status).toBe(200);
  expect(sample(await other.text(), refusals('metrics_scrapes'))).toBe(1);
});

test('METRICS_PORT, inside the network, is not metered', async () => {
  const app = await startTestApp({ env: { METRICS_PORT: '0' } });
  const statuses = new Set<number>();
  for (let i = 0; i <= SCRAPES_PER_MINUTE; i++) statuses.add((await fetch(app.metricsUrl)).status);
  expect([...statuses]).toEqual([200]);
});

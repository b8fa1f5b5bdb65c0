// Traces over OTLP/HTTP, as a collector receives them from the real process (tracing is
// process-wide: started in main.ts): one trace per request, continuing the caller's traceparent,
// with the GraphQL phases, the DataLoader batches and their SQL beneath the server span.
import { beforeAll, describe, expect, test } from 'vitest';
import { postQuery, startServer, type ChildServer } from '../support/child-server.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_SPAN_ID = '00f067aa0ba902b7';
const NEEDLE = 'needle-in-the-trace';
const TRACED = `query Traced {
  posts(first: 2) { edges { node { title author { name } comments(first: 1) { edges { node { body } } } } } }
  users(first: 1, search: "${NEEDLE}") { edges { node { name } } }
}`;

let database: TestDatabase;
let receiver: OtlpReceiver;
let server: ChildServer & { url: URL };

beforeAll(async () => {
  database = await createTestDatabase();
  receiver = await startOtlpReceiver();
  // One connection (on Postgres): a statement often waits for another's connection, and must
  // still be traced where it was sent from, not where the connection came back from.
  server = await startServer({
    ...database.env,
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    RESPONSE_CACHE: 'false',
    DATABASE_POOL_SIZE: '1',
  });
  // Two posts to page through (the embedded database also has its demo graph; Postgres starts empty).
  const signUp = await postQuery(
    server.url,
    'mutation { createUser(input: { name: "Tracy", email: "tracy@example.com", password: "long enough" }) { token } }',
  );
  const authorization = `Bearer ${signUp.body.data.createUser.token}`;
  for (const title of ['One', 'Two']) {
    const created = await postQuery(server.url, `mutation { createPost(input: { title: "${title}", content: "Body." }) { id } }`, {
      headers: { authorization },
    });
    expect(created.body.errors).toBeUndefined();
  }
  return async () => {
    await server.stop();
    await database.drop();
  };
}, 60_000);

/** The request's log line, found by the X-Request-ID of its response (stdout may come after the response). */
const logLineOf = (headers: Headers) =>
  server.waitForLog((line) => line.msg === 'request' && line.requestId === headers.get('x-request-id'), 5_000);
const childrenOf = (spans: ReceivedSpan[], parent: ReceivedSpan) => spans.filter((span) => span.parentSpanId === parent.spanId);
/** Every span of `traceId`, once its server span (the last to end) has arrived. */
async function traceOf(traceId: string, serverSpanName: string): Promise<{ spans: ReceivedSpan[]; root: ReceivedSpan }> {
  const all = await receiver.waitFor((spans) => spans.some((span) => span.traceId === traceId && span.name === serverSpanName));
  const spans = all.filter((span) => span.traceId === traceId);
  return { spans, root: spans.find((span) => span.name === serverSpanName)! };
}

test('a request with a traceparent continues its trace: server span, GraphQL phases, loader batches, their SQL', async () => {
  const res = await postQuery(server.url, TRACED, { headers: { traceparent: `00-${TRACE_ID}-${PARENT_SPAN_ID}-01` } });
  expect(res.body.errors).toBeUndefined();
  const { spans, root } = await traceOf(TRACE_ID, 'POST /graphql');

  expect(root.parentSpanId).toBe(PARENT_SPAN_ID);
  expect(root.resource['service.name']).toBe('social-graphql');
  expect(root.attributes).toMatchObject({
    'http.request.method': 'POST',
    'url.path': '/graphql',
    'http.response.status_code': 200,
    'graphql.operation.name': 'Traced',
    'graphql.operation.type': 'query',
  });
  const phases = childrenOf(spans, root);
  expect(phases.map((span) => span.name).sort()).toEqual(['graphql.execute', 'graphql.parse', 'graphql.validate']);

  const execute = phases.find((span) => span.name === 'graphql.execute')!;
  const batches = childrenOf(spans, execute).filter((span) => span.name.startsWith('dataloader.batch '));
  expect(batches.map((span) => span.name)).toContain('dataloader.batch commentPageByPost');
  expect(batches.find((span) => span.name === 'dataloader.batch commentPageByPost')!.attributes['dataloader.keys']).toBe(2);
  // One statement answers a whole batch.
  for (const batch of batches) expect(childrenOf(spans, batch), batch.name).toHaveLength(1);
  for (const statement of batches.flatMap((batch) => childrenOf(spans, batch))) {
    expect(statement.name).toBe('SELECT');
    expect(statement.attributes['db.system.name']).toBe('postgresql');
    expect(statement.attributes['db.query.text']).toContain('$1');
  }
  // Every statement the request sent is a span, and no span holds a value the client sent.
  expect(spans.filter((span) => span.attributes['db.system.name'])).toHaveLength(root.attributes['db.statements'] as number);
  expect(JSON.stringify(spans)).not.toContain(NEEDLE);

  expect((await logLineOf(res.headers)).traceId).toBe(TRACE_ID);
});

test('requests sent at once each trace their own statements', async () => {
  const traceIds = ['a', 'b', 'c'].map((letter) => letter.repeat(32));
  await Promise.all(
    traceIds.map((traceId) => postQuery(server.url, TRACED, { headers: { traceparent: `00-${traceId}-${PARENT_SPAN_ID}-01` } })),
  );
  for (const traceId of traceIds) {
    const { spans, root } = await traceOf(traceId, 'POST /graphql');
    const sql = spans.filter((span) => span.attributes['db.system.name']);
    expect(sql.length, traceId).toBeGreaterThan(0);
    expect(sql, traceId).toHaveLength(root.attributes['db.statements'] as number);
  }
});

test('a request without a traceparent starts a trace of its own', async () => {
  const res = await postQuery(server.url, '{ posts(first: 1) { edges { node { title } } } }');
  const { traceId } = await logLineOf(res.headers);
  expect(traceId).toMatch(/^[0-9a-f]{32}$/);
  expect(traceId).not.toBe(TRACE_ID);
  const { root } = await traceOf(traceId, 'POST /graphql');
  expect(root.parentSpanId).toBe('');
});

test('a REST request’s server span is named by its route', async () => {
  const res = await fetch(new URL('/v1/posts?limit=2', server.url));
  expect(res.status).toBe(200);
  await res.text();
  const { spans, root } = await traceOf((await logLineOf(res.headers)).traceId, 'GET /v1/posts');
  expect(root.attributes).toMatchObject({ 'http.route': 'GET /v1/posts', 'url.path': '/v1/posts', 'http.response.status_code': 200 });
  expect(spans.some((span) => span.name === 'graphql.execute')).toBe(true);
});

describe('with OTEL_SDK_DISABLED=true', () => {
  test('nothing is sent, even with an endpoint set', { timeout: 60_000 }, async () => {
    const quiet = await startOtlpReceiver();
    const other = await createTestDatabase();
    const disabled = await startServer({ ...other.env, OTEL_EXPORTER_OTLP_ENDPOINT: quiet.url, OTEL_SDK_DISABLED: 'true' });
    try {
      for (let i = 0; i < 3; i++) {
        const res = await postQuery(disabled.url, '{ posts(first: 1) { edges { node { title } } } }', {
          headers: { traceparent: `00-${TRACE_ID}-${PARENT_SPAN_ID}-01` },
        });
        expect(res.status).toBe(200);
      }
      // Spans are sent every second: two seconds would have carried any.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(quiet.requests).toBe(0);
      expect(disabled.logs().filter((line) => line.msg === 'request' && line.traceId !== undefined)).toEqual([]);
    } finally {
      await disabled.stop();
      await other.drop();
    }
  });
});

// The same guards on every transport: SSE goes through yoga's pipeline (subscriptions are
// metered when they start); the WebSocket transport calls src/limits/guard.ts itself, whose
// admitOperation is checked here as that transport uses it: raw document, variables and identity.
import { parse } from 'graphql';
import { describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createGuards } from '../../src/limits/guard.js';
import { createLog } from '../../src/log.js';
import { schema } from '../../src/schema/index.js';
import { startTestApp } from '../support/test-app.js';

// postCreated 1, author 2, posts 3, edges 4, node 5, author 6, posts 7, edges 8, node 9, author 10, id 11
const DEEP_SUBSCRIPTION = `subscription { postCreated { author { posts(first: 1) { edges { node { author { posts(first: 1) { edges { node { author { id } } } } } } } } } } }`;

/** The first SSE event's data, read from a stream that may stay open (a subscription). */
async function firstEvent(response: Response): Promise<any> {
  const reader = response.body!.getReader();
  let text = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
    const data = /^data: (.*)$/m.exec(text.split('\n\n').find((event) => event.includes('event: next')) ?? '');
    if (data) {
      await reader.cancel();
      return JSON.parse(data[1]!);
    }
  }
  throw new Error(`no next event in: ${text}`);
}

describe('SSE', () => {
  test('a subscription over SSE is guarded: too deep → QUERY_TOO_DEEP, no SQL', async () => {
    const app = await startTestApp();
    const before = app.database.statementCount;
    const res = await app.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: DEEP_SUBSCRIPTION }),
    });
    const event = await firstEvent(res);
    expect(event.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_DEEP', limit: 10 });
    expect(app.database.statementCount - before).toBe(0);
  });

  test('a subscription is metered when it starts, and over budget it is RATE_LIMITED', async () => {
    const app = await startTestApp({ env: { RATE_LIMIT_POINTS: '3' } });
    const subscribe = () =>
      app.fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ query: 'subscription { postCreated { id } }' }),
      });
    const first = await subscribe(); // costs 2
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-remaining')).toBe('1');
    await first.body!.cancel();
    const second = await subscribe();
    expect((await firstEvent(second)).errors[0].extensions.code).toBe('RATE_LIMITED');
  });
});

describe('the guard as the WebSocket transport calls it', () => {
  const guards = createGuards(loadConfig({ LOG_LEVEL: 'silent', RATE_LIMIT_POINTS: '5' }), schema, createLog('silent'), null);
  const identity = { userId: null, clientAddress: '203.0.113.9' };

  test('admits with the cost and the budget left', async () => {
    const admission = await guards.admitOperation({ document: parse('subscription { postCreated { id title } }'), identity });
    expect(admission).toMatchObject({ ok: true, cost: 3, rateLimit: { limit: 5, remaining: 2, cost: 3 } });
  });

  test('refuses with contract errors to return from onSubscribe', async () => {
    const deep = await guards.admitOperation({ document: parse(DEEP_SUBSCRIPTION), identity: { userId: 7, clientAddress: null } });
    expect(deep.ok).toBe(false);
    expect(!deep.ok && deep.errors[0]!.extensions).toMatchObject({ code: 'QUERY_TOO_DEEP', limit: 10 });
    const variables = await guards.admitOperation({
      document: parse('subscription($id: ID!) { commentAdded(postId: $id) { id } }'),
      variables: {},
      identity: { userId: 7, clientAddress: null },
    });
    expect(!variables.ok && variables.errors[0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', details: [{ field: '$id' }] });
  });

  test('meters the identity across calls, and remembers the admission of a context', async () => {
    const context = {};
    const over = await guards.admitOperation({
      document: parse('subscription { postCreated { id title author { name } } }'),
      identity,
      context,
    });
    expect(over.ok).toBe(false);
    expect(!over.ok && over.errors[0]!.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
    expect(guards.admissionOf(context)).toBe(over);
  });
});

// Cost, by the contract's formula, from the document and its variables, for the operation that
// runs; first/after checked in the same pass; extensions.cost on every successful response.
import { beforeAll, describe, expect, test } from 'vitest';
import { given } from '../support/given.js';
import { errorOf } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// The contract's worked example: 261.
const CONTRACT_EXAMPLE = `{ posts(first: 20) { edges { node { title comments(first: 3) { edges { node { body } } } } } } }`;
const PAGE_OF_POSTS = `query($n: Int) { posts(first: $n) { edges { node { title comments(first: 3) { edges { node { body } } } } } } }`;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  const ada = await given(app).user();
  for (const post of await given(app).posts(3, { by: ada })) await given(app).comment({ on: post, by: ada });
});

describe('the cost of an operation', () => {
  test("the contract's example costs 261, reported in extensions.cost with the limit", async () => {
    const res = await app.query(CONTRACT_EXAMPLE);
    expect(res.errors).toBeUndefined();
    expect(res.body.extensions).toEqual({ cost: { requested: 261, limit: 1000 } });
  });

  test('first: 20 is what an absent first costs', async () => {
    const res = await app.query(CONTRACT_EXAMPLE.replace('posts(first: 20)', 'posts'));
    expect(res.body.extensions!.cost.requested).toBe(261);
  });

  test('the same document costs what its variables say: small passes, huge is QUERY_TOO_COMPLEX', async () => {
    const small = await app.query(PAGE_OF_POSTS, { n: 2 });
    expect(small.errors).toBeUndefined();
    expect(small.body.extensions!.cost.requested).toBe(1 + 2 * 13);
    // Again with a large $n: yoga's validation cache must not let the document through.
    const huge = await app.query(PAGE_OF_POSTS, { n: 100 });
    expect(huge.status).toBe(400);
    expect(errorOf(huge)).toMatchObject({ code: 'QUERY_TOO_COMPLEX', cost: 1 + 100 * 13, limit: 1000 });
    expect(huge.statements).toBe(0);
  });

  test('a client that accepts only application/json gets QUERY_TOO_COMPLEX with 200', async () => {
    const res = await app.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: PAGE_OF_POSTS, variables: { n: 100 } }),
    });
    expect(res.status).toBe(200);
    expect((await res.json()).errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
  });

  test('wide connections three levels down are refused before any SQL', async () => {
    const res = await app.query(
      `{ users(first: 100) { edges { node { posts(first: 100) { edges { node { comments(first: 100) { edges { node { body } } } } } } } } } }`,
    );
    expect(errorOf(res).code).toBe('QUERY_TOO_COMPLEX');
    expect(errorOf(res).cost).toBeGreaterThan(3_000_000);
    expect(res.statements).toBe(0);
  });

  test('nodes(ids:) multiplies its selection by the number of ids', async () => {
    const ids = Array.from({ length: 10 }, () => 'VXNlcjox');
    const res = await app.query(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids });
    expect(res.body.extensions!.cost.requested).toBe(1 + 10 * 1);
  });

  test('a field skipped by @skip/@include costs nothing', async () => {
    const res = await app.query(`query($no: Boolean!) { posts(first: 1) @include(if: $no) { edges { cursor } } viewer { id } }`, {
      no: false,
    });
    expect(res.body.extensions!.cost.requested).toBe(2);
  });

  test('MAX_COST sets the limit', async () => {
    const strict = await startTestApp({ env: { MAX_COST: '100' } });
    const res = await strict.query(CONTRACT_EXAMPLE);
    expect(errorOf(res)).toMatchObject({ code: 'QUERY_TOO_COMPLEX', cost: 261, limit: 100 });
    expect((await strict.query(`{ viewer { id } }`)).body.extensions!.cost).toEqual({ requested: 2, limit: 100 });
  });
});

describe('first/after, checked for the whole operation before it runs', () => {
  test('first: 0 deep under a page is one BAD_USER_INPUT for the request, not one per parent, and no SQL', async () => {
    const res = await app.query(`{ posts(first: 3) { edges { node { comments(first: 0) { edges { cursor } } } } } }`);
    expect(res.status).toBe(200);
    expect(errorOf(res)).toMatchObject({
      code: 'BAD_USER_INPUT',
      details: [{ field: 'first', message: 'first must be between 1 and 100 (got 0).' }],
    });
    expect(res.statements).toBe(0);
  });

  test('a negative first never makes a negative cost: it is BAD_USER_INPUT', async () => {
    const res = await app.query(`{ posts(first: -1000000) { edges { node { title } } } viewer { id } }`);
    expect(errorOf(res).code).toBe('BAD_USER_INPUT');
  });

  test('first and a garbage after, in two connections, are reported together', async () => {
    const res = await app.query(
      `query($after: String) { posts(first: 101) { edges { cursor } } users(after: $after) { edges { cursor } } }`,
      { after: 'garbage' },
    );
    expect(errorOf(res).details).toEqual([
      { field: 'first', message: 'first must be between 1 and 100 (got 101).' },
      { field: 'after', message: "after is not a cursor this API gave out: pass a previous page's endCursor as it is." },
    ]);
    expect(res.statements).toBe(0);
  });

  test('a wrongly typed variable is BAD_USER_INPUT naming it, before any SQL', async () => {
    const res = await app.query(PAGE_OF_POSTS, { n: 'ten' });
    expect(res.status).toBe(400);
    expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', details: [{ field: '$n' }] });
    expect(res.statements).toBe(0);
  });
});

describe('Query.rateLimit', () => {
  test('answers the budget after this query and what it cost', async () => {
    const before = Date.now();
    const res = await app.query(`{ rateLimit { limit remaining resetAt cost } posts(first: 2) { edges { cursor } } }`);
    const { limit, remaining, resetAt, cost } = res.data.rateLimit;
    expect(cost).toBe(res.body.extensions!.cost.requested);
    expect(cost).toBe(5 + 1 + 2 * 2);
    expect(limit).toBe(10_000);
    expect(remaining).toBe(Number(res.headers.get('x-ratelimit-remaining')));
    expect(Date.parse(resetAt)).toBeGreaterThan(before);
  });
});

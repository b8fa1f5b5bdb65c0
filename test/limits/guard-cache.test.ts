// The guard works out what a document's operation costs once, then reuses it (issue 13): every
// request of the same document must still be measured with its own variables, whatever earlier
// requests of it sent.
import { beforeAll, describe, expect, test } from 'vitest';
import { errorOf } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// The page costs 1 + 100 × 13 = 1301, over the limit of 1000; skipped or not included, nothing.
const SKIPPABLE = `query($skip: Boolean!, $include: Boolean!) {
  __typename
  posts(first: 100) @skip(if: $skip) @include(if: $include) { edges { node { title comments(first: 3) { edges { node { body } } } } } }
}`;
const PAGE = `query($n: Int, $after: String) { posts(first: $n, after: $after) { edges { cursor } } }`;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});

describe('a document sent again is measured with its own variables', () => {
  test('@skip and @include follow each request, in any order', async () => {
    const cases = [
      { skip: true, include: true, refused: false },
      { skip: false, include: false, refused: false },
      { skip: false, include: true, refused: true },
      { skip: true, include: false, refused: false },
      { skip: false, include: true, refused: true },
    ];
    for (const { refused, ...variables } of cases) {
      const res = await app.query(SKIPPABLE, variables);
      if (refused) expect(errorOf(res)).toMatchObject({ code: 'QUERY_TOO_COMPLEX', cost: 1 + 1 + 100 * 13 });
      else expect(res.body.extensions!.cost.requested).toBe(1);
    }
  });

  test('first and after are checked again for each request, after values seen before', async () => {
    expect((await app.query(PAGE, { n: 5 })).errors).toBeUndefined();
    expect(errorOf(await app.query(PAGE, { n: 500 }))).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(errorOf(await app.query(PAGE, { n: 5, after: 'garbage' }))).toMatchObject({ code: 'BAD_USER_INPUT' });
    const again = await app.query(PAGE, { n: 5 });
    expect(again.errors).toBeUndefined();
    expect(again.body.extensions!.cost.requested).toBe(1 + 5 * 2);
  });

  test('a bad variable is refused each time, after the same document ran with good ones', async () => {
    expect((await app.query(PAGE, { n: 2 })).errors).toBeUndefined();
    const bad = await app.query(PAGE, { n: 'two' });
    expect(errorOf(bad)).toMatchObject({ code: 'BAD_USER_INPUT', details: [{ field: '$n' }] });
    expect(bad.statements).toBe(0);
  });
});

// One document, several operations: the answer (cached or not) is the named operation's. Answers
// are keyed by the operation name as well as the document (src/cache/response-cache.ts).
//
// The compiled-query cache of @envelop/graphql-jit is keyed by the document alone: every later
// request for a document ran whichever of its operations was compiled first, whatever
// operationName said, defeating the response cache (A's answer saved under B's key), the guards
// and the invalidation, which judge by operationName. Such documents now run on graphql-js
// (src/operation/single-operation.ts); these tests failed before.
import { expect, test } from 'vitest';
import { given } from '../support/given.js';
import { signIn } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const TWO_QUERIES = 'query A { posts(first: 5) { edges { node { title } } } } query B { users(first: 5) { edges { node { name } } } }';

const post = (app: TestApp, body: object, headers: Record<string, string> = {}) =>
  fetch(app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify(body),
  }).then((res) => res.json());

test('each operation of a document gets its own answer, whichever was asked first', async () => {
  const app = await startTestApp({ env: { RESPONSE_CACHE_TTL_MS: '60000' } });
  const [ada] = await given(app).users(1);
  await given(app).post({ by: ada!, title: 'Hello' });
  for (let i = 0; i < 2; i++) {
    expect((await post(app, { query: TWO_QUERIES, operationName: 'A' })).data).toEqual({
      posts: { edges: [{ node: { title: 'Hello' } }] },
    });
    expect((await post(app, { query: TWO_QUERIES, operationName: 'B' })).data).toEqual({
      users: { edges: [{ node: { name: ada!.name } }] },
    });
  }
});

test('a GET naming the query of a document never runs its mutation', async () => {
  const app = await startTestApp();
  const [ada] = await given(app).users(1);
  const asAda = await signIn(app, ada!);
  const document = `query Q { posts(first: 5) { edges { node { title } } } }
    mutation M { createPost(input: { title: "Written", content: "Body." }) { title } }`;
  await post(app, { query: document, operationName: 'M' }, asAda.headers);

  const params = new URLSearchParams({ query: document, operationName: 'Q' });
  const res = await app.fetch(`/graphql?${params.toString()}`, {
    headers: { accept: 'application/graphql-response+json', ...asAda.headers },
  });
  expect((await res.json()).data).toEqual({ posts: { edges: [{ node: { title: 'Written' } }] } });
  const titles = (await app.query('{ posts(first: 5) { edges { node { title } } } }')).data.posts.edges;
  expect(titles, 'one post: the GET wrote nothing').toHaveLength(1);
});

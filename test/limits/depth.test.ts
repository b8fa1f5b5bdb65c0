// Depth: 10 levels (the root field is level 1) pass, 11 are QUERY_TOO_DEEP, before any SQL;
// introspection is bounded on its own; a fragment cycle is a validation error, never a 500.
import { getIntrospectionQuery } from 'graphql';
import { beforeAll, describe, expect, test } from 'vitest';
import { given } from '../support/given.js';
import { bearer, errorOf, signIn } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// posts 1, edges 2, node 3, author 4, posts 5, edges 6, node 7, comments 8, edges 9, cursor 10
const TEN_LEVELS = `{ posts(first: 1) { edges { node { author { posts(first: 1) { edges { node { comments(first: 1) { edges { cursor } } } } } } } } } }`;
// … the same with node 10, id 11
const ELEVEN_LEVELS = TEN_LEVELS.replace('edges { cursor }', 'edges { node { id } }');

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  const ada = await given(app).user();
  const post = await given(app).post({ by: ada });
  await given(app).comment({ on: post, by: ada });
});

describe('depth', () => {
  test('10 levels pass', async () => {
    const res = await app.query(TEN_LEVELS);
    expect(res.errors).toBeUndefined();
    expect(res.data.posts.edges[0].node.author.posts.edges[0].node.comments.edges).toHaveLength(1);
  });

  test('11 levels are QUERY_TOO_DEEP with the limit, 400, and send no SQL', async () => {
    const res = await app.query(ELEVEN_LEVELS);
    expect(res.status).toBe(400);
    expect(errorOf(res)).toMatchObject({ code: 'QUERY_TOO_DEEP', limit: 10 });
    // The walk that refused it knows how deep it is: the message says so, for the caller to trim.
    expect(errorOf(res).message).toContain('is 11 levels deep');
    expect(res.data).toBeUndefined();
    expect(res.statements).toBe(0);
  });

  test('a signed-in caller is refused before the token is checked against the database', async () => {
    const session = await signIn(app, await given(app).user());
    const res = await app.query(ELEVEN_LEVELS, undefined, session);
    expect(errorOf(res).code).toBe('QUERY_TOO_DEEP');
    expect(res.statements).toBe(0);
  });

  test('depth through fragments counts the same', async () => {
    const viaFragment = `{ posts(first: 1) { edges { node { ...Deep } } } }
      fragment Deep on Post { author { posts(first: 1) { edges { node { comments(first: 1) { edges { node { id } } } } } } } }`;
    expect(errorOf(await app.query(viaFragment)).code).toBe('QUERY_TOO_DEEP');
  });

  test('only the operation that runs is measured (operationName)', async () => {
    const document = `query Shallow { posts(first: 1) { edges { cursor } } } query Deep ${ELEVEN_LEVELS.slice(1).replace(/^/, '{')}`;
    const shallow = await app.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: document, operationName: 'Shallow' }),
    });
    expect((await shallow.json()).errors).toBeUndefined();
    const deep = await app.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: document, operationName: 'Deep' }),
    });
    expect((await deep.json()).errors[0].extensions.code).toBe('QUERY_TOO_DEEP');
  });

  test('MAX_DEPTH sets the limit in the same terms', async () => {
    const strict = await startTestApp({ env: { MAX_DEPTH: '3' } });
    expect((await strict.query(`{ posts(first: 1) { edges { cursor } } }`)).errors).toBeUndefined();
    const res = await strict.query(`{ posts(first: 1) { edges { node { id } } } }`);
    expect(errorOf(res)).toMatchObject({ code: 'QUERY_TOO_DEEP', limit: 3 });
  });
});

describe('introspection', () => {
  test("GraphiQL's introspection query works, exempt from depth and cost", async () => {
    const res = await app.query(
      getIntrospectionQuery({
        descriptions: true,
        specifiedByUrl: true,
        directiveIsRepeatable: true,
        schemaDescription: true,
        inputValueDeprecation: true,
      }),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.__schema.queryType.name).toBe('Query');
    expect(res.body.extensions!.cost.requested).toBe(1);
  });

  test('a deeper introspection query is QUERY_TOO_DEEP at the introspection limit', async () => {
    const ofTypes = (n: number): string => (n === 0 ? 'name' : `ofType { ${ofTypes(n - 1)} }`);
    const res = await app.query(`{ __schema { types { fields { type { ${ofTypes(20)} } } } } }`);
    expect(errorOf(res)).toMatchObject({ code: 'QUERY_TOO_DEEP', limit: 18 });
    expect(res.statements).toBe(0);
  });

  test('list fan-out under __schema, refused by graphql own rule, is QUERY_TOO_DEEP as any depth is', async () => {
    const res = await app.query(`{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }`);
    expect(res.status).toBe(400);
    expect(errorOf(res)).toMatchObject({ code: 'QUERY_TOO_DEEP', limit: 3 });
    expect(res.statements).toBe(0);
  });

  test('INTROSPECTION=false refuses __schema and __type; __typename still works', async () => {
    const closed = await startTestApp({ env: { INTROSPECTION: 'false' } });
    for (const query of [`{ __schema { queryType { name } } }`, `{ __type(name: "User") { name } }`]) {
      const res = await closed.query(query);
      expect(res.status).toBe(400);
      expect(res.errors?.[0]).toMatchObject({
        message: expect.stringContaining('introspection has been disabled'),
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      });
    }
    expect((await closed.query(`{ __typename }`)).data).toEqual({ __typename: 'Query' });
  });
});

describe('fragment cycles', () => {
  test('a self-referencing fragment is a validation error, not a stack overflow', async () => {
    const res = await app.query(`{ viewer { ...A } } fragment A on User { name ...A }`);
    expect(res.status).toBe(400);
    expect(errorOf(res).code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.statements).toBe(0);
  });

  test('a cycle through two fragments too, and the server answers the next query', async () => {
    const res = await app.query(
      `{ viewer { ...A } } fragment A on User { posts { edges { node { author { ...B } } } } } fragment B on User { ...A }`,
    );
    expect(res.errors?.[0]?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect((await app.query(`{ __typename }`, undefined, bearer('x.y.z'))).status).toBe(200);
  });
});

import { beforeAll, describe, expect, test } from 'vitest';
import { given, type GivenUser, type GivenPost, type GivenComment } from '../support/given.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let user: GivenUser;
let post: GivenPost;
let comment: GivenComment;
const missingUser = Buffer.from('User:999999').toString('base64');

beforeAll(async () => {
  app = await startTestApp();
  const g = given(app);
  user = await g.user({ name: 'Ada' });
  post = await g.post({ by: user, title: 'Engines' });
  comment = await g.comment({ on: post, by: user, body: 'Indeed' });
});

const NODE = `query($id: ID!) { node(id: $id) { __typename id ... on User { name } ... on Post { title } ... on Comment { body } } }`;

describe('node(id:)', () => {
  test('refetches every type by its id', async () => {
    for (const [gid, typename, field, value] of [
      [user.gid, 'User', 'name', 'Ada'],
      [post.gid, 'Post', 'title', 'Engines'],
      [comment.gid, 'Comment', 'body', 'Indeed'],
    ] as const) {
      const res = await app.query(NODE, { id: gid });
      expect(res.errors).toBeUndefined();
      expect(res.data.node).toEqual({ __typename: typename, id: gid, [field]: value });
    }
  });

  test('an id that does not exist is null, without an error', async () => {
    const res = await app.query(NODE, { id: missingUser });
    expect(res.body).toEqual({ data: { node: null }, extensions: { cost: expect.any(Object) } });
  });

  test('a well-formed id of a type that has no objects is null', async () => {
    const res = await app.query(NODE, { id: Buffer.from('Invoice:1').toString('base64') });
    expect(res.body).toEqual({ data: { node: null }, extensions: { cost: expect.any(Object) } });
  });

  test.each([
    'garbage',
    '',
    '1',
    'VXNlcjo=',
    'VXNlcjphYmM=',
    'VXNlcjotMQ==',
    Buffer.from('User:99999999999').toString('base64'),
    'x'.repeat(10_000),
    'a\u0000b',
    '\ud800',
  ])('a malformed id (%s) is BAD_USER_INPUT naming the argument', async (id) => {
    const res = await app.query(NODE, { id });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ node: null });
    expect(res.errors).toHaveLength(1);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', details: [{ field: 'id' }] });
  });
});

describe('nodes(ids:)', () => {
  test('returns objects in the order asked, null where there is none', async () => {
    const res = await app.query(`query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`, {
      ids: [comment.gid, missingUser, user.gid, post.gid, user.gid],
    });
    expect(res.errors).toBeUndefined();
    expect(res.data.nodes).toEqual([
      { __typename: 'Comment', id: comment.gid },
      null,
      { __typename: 'User', id: user.gid },
      { __typename: 'Post', id: post.gid },
      { __typename: 'User', id: user.gid },
    ]);
  });

  test('every malformed id is named by its position, in one error', async () => {
    const res = await app.query(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [user.gid, 'bad', post.gid, 'worse'] });
    expect(res.errors).toHaveLength(1);
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      details: [{ field: 'ids[1]' }, { field: 'ids[3]' }],
    });
  });
});

describe('typed lookups: user, post', () => {
  test('find their own type', async () => {
    const res = await app.query(`query($u: ID!, $p: ID!) { user(id: $u) { id name } post(id: $p) { id title } }`, {
      u: user.gid,
      p: post.gid,
    });
    expect(res.data).toEqual({ user: { id: user.gid, name: 'Ada' }, post: { id: post.gid, title: 'Engines' } });
  });

  test("another type's id is null, never the other object", async () => {
    const res = await app.query(`query($u: ID!, $p: ID!) { user(id: $p) { id } post(id: $u) { id } }`, { u: user.gid, p: post.gid });
    expect(res.body).toEqual({ data: { user: null, post: null }, extensions: { cost: expect.any(Object) } });
  });

  test('a missing id is null', async () => {
    const res = await app.query(`{ user(id: "${missingUser}") { id } }`);
    expect(res.body).toEqual({ data: { user: null }, extensions: { cost: expect.any(Object) } });
  });

  test('a malformed id is BAD_USER_INPUT, never INTERNAL_SERVER_ERROR', async () => {
    const res = await app.query(`{ user(id: "nope") { id } post(id: "123") { id } }`);
    expect(res.errors?.map((e) => e.extensions.code)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT']);
    expect(res.data).toEqual({ user: null, post: null });
  });

  test('an integer literal for an ID is a malformed id too', async () => {
    const res = await app.query(`{ post(id: 1) { id } }`);
    expect(res.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
  });
});

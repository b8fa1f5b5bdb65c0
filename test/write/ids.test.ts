// The id rules of every mutation: anonymous is UNAUTHENTICATED; a malformed id is BAD_USER_INPUT
// naming the argument; a missing id, or a well-formed id of another type, is NOT_FOUND.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { beforeAll, describe, expect, test } from 'vitest';
import { given } from '../support/given.js';
import { errorOf, signIn, type Session } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let session: Session;
let ids: { user: string; post: string; comment: string };
beforeAll(async () => {
  app = await startTestApp();
  const g = given(app);
  const ada = await g.user();
  const post = await g.post({ by: ada });
  const comment = await g.comment({ on: post, by: ada });
  ids = { user: ada.gid, post: post.gid, comment: comment.gid };
  session = await signIn(app, ada);
});

type Case = {
  mutation: string;
  /** The operation, taking the id as $id. */
  document: string;
  /** The argument path an error names. */
  field: string;
  /** Which kind of object the id must name; an id of `wrong` is of another type. */
  kind: 'user' | 'post' | 'comment';
  wrong: 'user' | 'post' | 'comment';
};

const typename = { user: 'User', post: 'Post', comment: 'Comment' } as const;

const cases: Case[] = [
  {
    mutation: 'updateUser',
    document: 'mutation($id: ID!) { updateUser(id: $id, input: { name: "New" }) { id } }',
    field: 'id',
    kind: 'user',
    wrong: 'post',
  },
  { mutation: 'deleteUser', document: 'mutation($id: ID!) { deleteUser(id: $id) }', field: 'id', kind: 'user', wrong: 'post' },
  {
    mutation: 'followUser',
    document: 'mutation($id: ID!) { followUser(userId: $id) { id } }',
    field: 'userId',
    kind: 'user',
    wrong: 'comment',
  },
  {
    mutation: 'unfollowUser',
    document: 'mutation($id: ID!) { unfollowUser(userId: $id) { id } }',
    field: 'userId',
    kind: 'user',
    wrong: 'comment',
  },
  {
    mutation: 'updatePost',
    document: 'mutation($id: ID!) { updatePost(id: $id, input: { title: "New" }) { id } }',
    field: 'id',
    kind: 'post',
    wrong: 'user',
  },
  { mutation: 'deletePost', document: 'mutation($id: ID!) { deletePost(id: $id) }', field: 'id', kind: 'post', wrong: 'comment' },
  { mutation: 'likePost', document: 'mutation($id: ID!) { likePost(postId: $id) { id } }', field: 'postId', kind: 'post', wrong: 'user' },
  {
    mutation: 'unlikePost',
    document: 'mutation($id: ID!) { unlikePost(postId: $id) { id } }',
    field: 'postId',
    kind: 'post',
    wrong: 'comment',
  },
  {
    mutation: 'createComment',
    document: 'mutation($id: ID!) { createComment(input: { postId: $id, body: "Hi" }) { id } }',
    field: 'input.postId',
    kind: 'post',
    wrong: 'user',
  },
  { mutation: 'deleteComment', document: 'mutation($id: ID!) { deleteComment(id: $id) }', field: 'id', kind: 'comment', wrong: 'post' },
];

describe.each(cases)('$mutation', ({ document, field, kind, wrong }) => {
  test('anonymous is UNAUTHENTICATED', async () => {
    const res = await app.query(document, { id: ids[kind] });
    expect(res.data).toBeNull();
    expect(errorOf(res).code).toBe('UNAUTHENTICATED');
  });

  test.each([
    ['a word', 'garbage'],
    ['empty', ''],
    ['id 0', Buffer.from('Post:0').toString('base64')],
    ['with a NUL', 'a\u0000b'],
    ['a lone surrogate', '\ud800'],
    ['10,000 characters', 'x'.repeat(10_000)],
  ])(`a malformed id (%s) is BAD_USER_INPUT naming ${field}`, async (_label, id) => {
    const res = await app.query(document, { id }, session);
    expect(res.status).toBe(200);
    expect(res.data).toBeNull();
    expect(errorOf(res)).toMatchObject({
      code: 'BAD_USER_INPUT',
      details: [{ field, message: expect.stringContaining(`${field} is not a valid id`) }],
    });
  });

  test('a well-formed id of nothing is NOT_FOUND', async () => {
    const res = await app.query(document, { id: encodeGlobalID(typename[kind], 999_999) }, session);
    expect(res.data).toBeNull();
    expect(errorOf(res).code).toBe('NOT_FOUND');
  });

  test(`a ${wrong}'s id is NOT_FOUND, never acting on the ${wrong}`, async () => {
    const res = await app.query(document, { id: ids[wrong] }, session);
    expect(res.data).toBeNull();
    expect(errorOf(res).code).toBe('NOT_FOUND');
  });
});

test('nothing was changed by any of the refused mutations', async () => {
  const res = await app.query(
    `query($u: ID!, $p: ID!, $c: ID!) {
    user(id: $u) { name followingCount } post(id: $p) { title likesCount commentsCount } node(id: $c) { id }
  }`,
    { u: ids.user, p: ids.post, c: ids.comment },
  );
  expect(res.data).toEqual({
    user: { name: expect.stringMatching(/^User /), followingCount: 0 },
    post: { title: expect.stringMatching(/^Post at /), likesCount: 0, commentsCount: 1 },
    node: { id: ids.comment },
  });
});

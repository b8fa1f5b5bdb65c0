// createComment / deleteComment: validation, the post they reply to, and who may delete them.
import { beforeAll, describe, expect, test } from 'vitest';
import { given, type GivenUser, type Given } from '../support/given.js';
import { errorOf, signIn, type Session } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

type User = GivenUser;
let app: TestApp;
let g: Given;
let author: User;
let commenter: User;
let sessions: { author: Session; commenter: Session; stranger: Session };
beforeAll(async () => {
  app = await startTestApp();
  g = given(app);
  [author, commenter] = (await g.users(2)) as [User, User];
  const stranger = await g.user();
  sessions = { author: await signIn(app, author), commenter: await signIn(app, commenter), stranger: await signIn(app, stranger) };
});

const CREATE = `mutation($input: CreateCommentInput!) {
  createComment(input: $input) { id body createdAt author { id } post { id commentsCount comments { edges { node { id } } } } }
}`;
const DELETE = `mutation($id: ID!) { deleteComment(id: $id) }`;
const POST = `query($id: ID!) { post(id: $id) { commentsCount comments { edges { node { id } } } } }`;

test('a comment is trimmed, by the viewer, and shows at once as the newest of the post', async () => {
  const post = await g.post({ by: author });
  const earlier = await g.comment({ on: post, by: author });
  const res = await app.query(CREATE, { input: { postId: post.gid, body: '  Great read.\n\nThanks!  ' } }, sessions.commenter);
  expect(res.errors).toBeUndefined();
  const comment = res.data.createComment;
  expect(comment).toMatchObject({ body: 'Great read.\n\nThanks!', author: { id: commenter.gid } });
  // comments are oldest first: the new one comes last
  expect(comment.post).toEqual({
    id: post.gid,
    commentsCount: 2,
    comments: { edges: [{ node: { id: earlier.gid } }, { node: { id: comment.id } }] },
  });
});

describe('invalid input is BAD_USER_INPUT, every problem in one error', () => {
  test.each([
    ['an empty body', { body: '' }, ['input.body']],
    ['a blank body', { body: ' \n\t ' }, ['input.body']],
    ['a 5,001-character body', { body: 'b'.repeat(5001) }, ['input.body']],
    ['a body with a NUL', { body: 'a\u0000' }, ['input.body']],
    ['a body with a lone surrogate', { body: '\udfff' }, ['input.body']],
    ['a malformed postId', { postId: 'nope' }, ['input.postId']],
    ['a malformed postId and an empty body', { postId: 'nope', body: '' }, ['input.postId', 'input.body']],
  ])('%s', async (_label, change, fields) => {
    const post = await g.post({ by: author });
    const res = await app.query(CREATE, { input: { postId: post.gid, body: 'Fine', ...change } }, sessions.commenter);
    expect(res.data).toBeNull();
    expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', details: fields.map((field) => ({ field })) });
    expect((await app.query(POST, { id: post.gid })).data.post.commentsCount).toBe(0);
  });

  test('5,000 emoji are 5,000 characters: fine', async () => {
    const post = await g.post({ by: author });
    const res = await app.query(CREATE, { input: { postId: post.gid, body: '💬'.repeat(5000) } }, sessions.commenter);
    expect(res.errors).toBeUndefined();
  });
});

test('a comment on a deleted post is NOT_FOUND', async () => {
  const post = await g.post({ by: author });
  await app.query(`mutation($id: ID!) { deletePost(id: $id) }`, { id: post.gid }, sessions.author);
  const res = await app.query(CREATE, { input: { postId: post.gid, body: 'Late' } }, sessions.commenter);
  expect(errorOf(res).code).toBe('NOT_FOUND');
});

describe('deleteComment', () => {
  test('its author may delete it: gone from the post and its count', async () => {
    const post = await g.post({ by: author });
    const comment = await g.comment({ on: post, by: commenter });
    const res = await app.query(DELETE, { id: comment.gid }, sessions.commenter);
    expect(res.body.data).toEqual({ deleteComment: true });
    expect((await app.query(POST, { id: post.gid })).data.post).toEqual({ commentsCount: 0, comments: { edges: [] } });
  });

  test("the post's author may delete anyone's comment on it", async () => {
    const post = await g.post({ by: author });
    const comment = await g.comment({ on: post, by: commenter });
    const res = await app.query(DELETE, { id: comment.gid }, sessions.author);
    expect(res.body.data).toEqual({ deleteComment: true });
    expect((await app.query(POST, { id: post.gid })).data.post.commentsCount).toBe(0);
  });

  test('anyone else is FORBIDDEN, and the comment stays', async () => {
    const post = await g.post({ by: author });
    const comment = await g.comment({ on: post, by: commenter });
    const res = await app.query(DELETE, { id: comment.gid }, sessions.stranger);
    expect(res.data).toBeNull();
    expect(errorOf(res).code).toBe('FORBIDDEN');
    expect((await app.query(POST, { id: post.gid })).data.post.comments.edges).toEqual([{ node: { id: comment.gid } }]);
  });

  test("a commenter may not delete the post author's comments on that post", async () => {
    const post = await g.post({ by: author });
    const comment = await g.comment({ on: post, by: author });
    expect(errorOf(await app.query(DELETE, { id: comment.gid }, sessions.commenter)).code).toBe('FORBIDDEN');
  });

  test('deleting it twice: the second time is NOT_FOUND', async () => {
    const post = await g.post({ by: author });
    const comment = await g.comment({ on: post, by: commenter });
    await app.query(DELETE, { id: comment.gid }, sessions.commenter);
    expect(errorOf(await app.query(DELETE, { id: comment.gid }, sessions.commenter)).code).toBe('NOT_FOUND');
  });
});

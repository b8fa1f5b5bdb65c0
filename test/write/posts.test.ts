// createPost / updatePost / deletePost: validation, authorship, timestamps and what readers see.
import { beforeAll, describe, expect, test } from 'vitest';
import { given, type GivenUser, type Given } from '../support/given.js';
import { errorOf, signIn, type Session } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let g: Given;
let ada: GivenUser;
let adaSession: Session;
let bobSession: Session;
beforeAll(async () => {
  app = await startTestApp();
  g = given(app);
  ada = await g.user({ name: 'Ada' });
  adaSession = await signIn(app, ada);
  bobSession = await signIn(app, await g.user({ name: 'Bob' }));
});

const CREATE = `mutation($input: CreatePostInput!) {
  createPost(input: $input) { id title content createdAt updatedAt commentsCount likesCount viewerHasLiked author { id postsCount } }
}`;
const UPDATE = `mutation($id: ID!, $input: UpdatePostInput!) { updatePost(id: $id, input: $input) { id title content createdAt updatedAt } }`;
const DELETE = `mutation($id: ID!) { deletePost(id: $id) }`;
const READ = `query($id: ID!) { post(id: $id) { title content } }`;

const create = async (input: { title: string; content: string }, session = adaSession) => {
  const res = await app.query(CREATE, { input }, session);
  expect(res.errors).toBeUndefined();
  return res.data.createPost;
};

test('a new post is trimmed, by the viewer, and shows at once in their posts and count', async () => {
  const before: number = (await app.query(`{ viewer { postsCount } }`, undefined, adaSession)).data.viewer.postsCount;
  const post = await create({ title: '  Notes  ', content: '\n  Line one\n\tLine two  \n' });
  expect(post).toMatchObject({ title: 'Notes', content: 'Line one\n\tLine two', commentsCount: 0, likesCount: 0, viewerHasLiked: false });
  expect(post.author).toEqual({ id: ada.gid, postsCount: before + 1 });
  expect(post.updatedAt).toBe(post.createdAt);

  const mine = await app.query(
    `{ viewer { posts(first: 1) { edges { node { id } } } } posts(first: 1) { edges { node { id } } } }`,
    undefined,
    adaSession,
  );
  expect(mine.data.viewer.posts.edges[0].node.id).toBe(post.id);
  expect(mine.data.posts.edges[0].node.id).toBe(post.id);
});

test('lengths are counted in characters: a 200-emoji title is fine', async () => {
  const post = await create({ title: '🚀'.repeat(200), content: 'x' });
  expect(post.title).toBe('🚀'.repeat(200));
});

describe('invalid input is BAD_USER_INPUT naming every field at fault, and writes nothing', () => {
  test.each([
    ['an empty title', { title: '' }, ['input.title']],
    ['a blank title', { title: ' \n ' }, ['input.title']],
    ['a 201-character title', { title: 't'.repeat(201) }, ['input.title']],
    ['a title on two lines', { title: 'One\nTwo' }, ['input.title']],
    ['a title with a lone surrogate', { title: 'Rocket \ud83d' }, ['input.title']],
    ['an empty content', { content: '' }, ['input.content']],
    ['a 20,001-character content', { content: 'c'.repeat(20_001) }, ['input.content']],
    ['a content with a NUL', { content: 'a\u0000b' }, ['input.content']],
    ['a content with a bell', { content: 'ding\u0007' }, ['input.content']],
    ['everything wrong at once', { title: '', content: '\u0000' }, ['input.title', 'input.content']],
  ])('%s', async (_label, change, fields) => {
    const res = await app.query(CREATE, { input: { title: 'Fine', content: 'Fine', ...change } }, adaSession);
    expect(res.data).toBeNull();
    const error = errorOf(res);
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.details?.map((d) => d.field)).toEqual(fields);
  });

  test('messages say what to change', async () => {
    const res = await app.query(CREATE, { input: { title: '', content: 'c'.repeat(20_001) } }, adaSession);
    expect(errorOf(res).details).toEqual([
      { field: 'input.title', message: 'title must be 1–200 characters, not counting surrounding whitespace (got 0).' },
      { field: 'input.content', message: 'content must be 1–20,000 characters, not counting surrounding whitespace (got 20,001).' },
    ]);
  });
});

describe('updatePost', () => {
  test('changes only what is given, advances updatedAt and keeps createdAt', async () => {
    const post = await create({ title: 'Draft', content: 'Body' });
    const res = await app.query(UPDATE, { id: post.id, input: { title: ' Final ' } }, adaSession);
    expect(res.errors).toBeUndefined();
    const updated = res.data.updatePost;
    expect(updated).toMatchObject({ id: post.id, title: 'Final', content: 'Body', createdAt: post.createdAt });
    expect(Date.parse(updated.updatedAt)).toBeGreaterThan(Date.parse(post.updatedAt));

    const again = await app.query(UPDATE, { id: post.id, input: { content: 'New body', title: null } }, adaSession);
    expect(again.data.updatePost).toMatchObject({ title: 'Final', content: 'New body', createdAt: post.createdAt });
    expect(Date.parse(again.data.updatePost.updatedAt)).toBeGreaterThan(Date.parse(updated.updatedAt));
  });

  test('an empty input is BAD_USER_INPUT: there is nothing to change', async () => {
    const post = await create({ title: 'Stays', content: 'Same' });
    const res = await app.query(UPDATE, { id: post.id, input: {} }, adaSession);
    expect(errorOf(res)).toMatchObject({
      code: 'BAD_USER_INPUT',
      details: [{ field: 'input', message: expect.stringContaining('must change something') }],
    });
  });

  test('a bad id and a bad title are reported together', async () => {
    const res = await app.query(UPDATE, { id: 'nope', input: { title: '' } }, adaSession);
    expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', details: [{ field: 'id' }, { field: 'input.title' }] });
  });

  test("someone else's post is FORBIDDEN and stays as it was", async () => {
    const post = await create({ title: 'Mine', content: 'Hands off' });
    const res = await app.query(UPDATE, { id: post.id, input: { title: 'Yours now' } }, bobSession);
    expect(res.data).toBeNull();
    expect(errorOf(res).code).toBe('FORBIDDEN');
    expect((await app.query(READ, { id: post.id })).data.post).toEqual({ title: 'Mine', content: 'Hands off' });
  });
});

describe('deletePost', () => {
  test('removes the post with its comments and likes, and the author count drops', async () => {
    const post = await create({ title: 'Short-lived', content: 'Bye' });
    const comment = await app.query(
      `mutation($id: ID!) { createComment(input: { postId: $id, body: "Nice" }) { id } }`,
      { id: post.id },
      bobSession,
    );
    await app.query(`mutation($id: ID!) { likePost(postId: $id) { id } }`, { id: post.id }, bobSession);
    const before: number = (await app.query(`{ viewer { postsCount } }`, undefined, adaSession)).data.viewer.postsCount;

    const res = await app.query(`mutation($id: ID!) { deletePost(id: $id) }`, { id: post.id }, adaSession);
    expect(res.body.data).toEqual({ deletePost: true });
    const after = await app.query(
      `query($p: ID!, $c: ID!) { post(id: $p) { id } node(id: $c) { id } viewer { postsCount } }`,
      { p: post.id, c: comment.data.createComment.id },
      adaSession,
    );
    expect(after.data).toEqual({ post: null, node: null, viewer: { postsCount: before - 1 } });
  });

  test("someone else's post is FORBIDDEN and stays", async () => {
    const post = await create({ title: 'Keep', content: 'Me' });
    const res = await app.query(DELETE, { id: post.id }, bobSession);
    expect(errorOf(res).code).toBe('FORBIDDEN');
    expect((await app.query(READ, { id: post.id })).data.post).toEqual({ title: 'Keep', content: 'Me' });
  });

  test('deleting it twice: the second time is NOT_FOUND', async () => {
    const post = await create({ title: 'Once', content: 'Only' });
    expect((await app.query(DELETE, { id: post.id }, adaSession)).body.data).toEqual({ deletePost: true });
    expect(errorOf(await app.query(DELETE, { id: post.id }, adaSession)).code).toBe('NOT_FOUND');
  });
});

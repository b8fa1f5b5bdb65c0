// likePost / unlikePost: idempotent, and the answer shows the like as it now stands.
import { count } from 'drizzle-orm';
import { beforeAll, expect, test } from 'vitest';
import { likes } from '../../src/db/schema.js';
import { given, type Given } from '../support/given.js';
import { signIn } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let g: Given;
beforeAll(async () => {
  app = await startTestApp();
  g = given(app);
});

const LIKE = `mutation($id: ID!) { likePost(postId: $id) { id likesCount viewerHasLiked } }`;
const UNLIKE = `mutation($id: ID!) { unlikePost(postId: $id) { id likesCount viewerHasLiked } }`;

async function scene() {
  const [author, fan, reader] = await g.users(3);
  const post = await g.post({ by: author! });
  await g.like(fan!, post);
  return { post, session: await signIn(app, reader!) };
}

const likeRows = async () => (await app.database.db.select({ n: count() }).from(likes))[0]!.n;

test('liking a post shows at once in its count and flag, here and in later reads', async () => {
  const { post, session } = await scene();
  const res = await app.query(LIKE, { id: post.gid }, session);
  expect(res.errors).toBeUndefined();
  expect(res.data.likePost).toEqual({ id: post.gid, likesCount: 2, viewerHasLiked: true });
  const later = await app.query(`query($id: ID!) { post(id: $id) { likesCount viewerHasLiked } }`, { id: post.gid }, session);
  expect(later.data.post).toEqual({ likesCount: 2, viewerHasLiked: true });
});

test('liking twice keeps one like', async () => {
  const { post, session } = await scene();
  await app.query(LIKE, { id: post.gid }, session);
  const rows = await likeRows();
  const again = await app.query(LIKE, { id: post.gid }, session);
  expect(again.data.likePost).toEqual({ id: post.gid, likesCount: 2, viewerHasLiked: true });
  expect(await likeRows()).toBe(rows);
});

test('unliking shows at once; unliking again, or a post never liked, is fine', async () => {
  const { post, session } = await scene();
  await app.query(LIKE, { id: post.gid }, session);
  for (let i = 0; i < 2; i++) {
    const res = await app.query(UNLIKE, { id: post.gid }, session);
    expect(res.errors).toBeUndefined();
    expect(res.data.unlikePost).toEqual({ id: post.gid, likesCount: 1, viewerHasLiked: false });
  }
});

test('a like read before the write in the same request does not go stale', async () => {
  const { post, session } = await scene();
  const res = await app.query(
    `mutation($id: ID!) {
      a: unlikePost(postId: $id) { likesCount viewerHasLiked }
      b: likePost(postId: $id) { likesCount viewerHasLiked }
      c: unlikePost(postId: $id) { likesCount viewerHasLiked }
    }`,
    { id: post.gid },
    session,
  );
  expect(res.data).toEqual({
    a: { likesCount: 1, viewerHasLiked: false },
    b: { likesCount: 2, viewerHasLiked: true },
    c: { likesCount: 1, viewerHasLiked: false },
  });
});

test('an author may like their own post', async () => {
  const author = await g.user();
  const post = await g.post({ by: author });
  const res = await app.query(LIKE, { id: post.gid }, await signIn(app, author));
  expect(res.data.likePost).toEqual({ id: post.gid, likesCount: 1, viewerHasLiked: true });
});

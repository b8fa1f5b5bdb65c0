// followUser / unfollowUser: idempotent, and the answer shows the follow as it now stands.
import { count } from 'drizzle-orm';
import { beforeAll, expect, test } from 'vitest';
import { follows } from '../../src/db/schema.js';
import { given, type GivenUser, type Given } from '../support/given.js';
import { errorOf, signIn, type Session } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

type User = GivenUser;
let app: TestApp;
let g: Given;
beforeAll(async () => {
  app = await startTestApp();
  g = given(app);
});

const FOLLOW = `mutation($id: ID!) { followUser(userId: $id) { id followersCount viewerIsFollowing followers { edges { node { id } } } } }`;
const UNFOLLOW = `mutation($id: ID!) { unfollowUser(userId: $id) { id followersCount viewerIsFollowing followers { edges { node { id } } } } }`;
const ME = `{ viewer { followingCount following { edges { node { id viewerIsFollowing } } } } }`;

async function pair(): Promise<{ ada: User; bob: User; session: Session }> {
  const [ada, bob] = await g.users(2);
  return { ada: ada!, bob: bob!, session: await signIn(app, ada!) };
}

const followRows = async () => (await app.database.db.select({ n: count() }).from(follows))[0]!.n;

test('following someone shows at once in their counts, their followers and my following', async () => {
  const { ada, bob, session } = await pair();
  const earlyFan = await g.user();
  await g.follow(earlyFan, bob);

  const res = await app.query(FOLLOW, { id: bob.gid }, session);
  expect(res.errors).toBeUndefined();
  expect(res.data.followUser).toEqual({
    id: bob.gid,
    followersCount: 2,
    viewerIsFollowing: true,
    // most recent follow first
    followers: { edges: [{ node: { id: ada.gid } }, { node: { id: earlyFan.gid } }] },
  });
  const me = await app.query(ME, undefined, session);
  expect(me.data.viewer).toEqual({ followingCount: 1, following: { edges: [{ node: { id: bob.gid, viewerIsFollowing: true } }] } });
});

test('following twice keeps one follow: same counts, same answer', async () => {
  const { bob, session } = await pair();
  const first = await app.query(FOLLOW, { id: bob.gid }, session);
  const rows = await followRows();
  const second = await app.query(FOLLOW, { id: bob.gid }, session);
  expect(second.body.data).toEqual(first.body.data);
  expect(second.data.followUser).toMatchObject({ followersCount: 1, viewerIsFollowing: true });
  expect(await followRows()).toBe(rows);
});

test('unfollowing shows at once, and unfollowing again (or someone never followed) is fine', async () => {
  const { bob, session } = await pair();
  await app.query(FOLLOW, { id: bob.gid }, session);
  for (let i = 0; i < 2; i++) {
    const res = await app.query(UNFOLLOW, { id: bob.gid }, session);
    expect(res.errors).toBeUndefined();
    expect(res.data.unfollowUser).toEqual({ id: bob.gid, followersCount: 0, viewerIsFollowing: false, followers: { edges: [] } });
  }
  const me = await app.query(ME, undefined, session);
  expect(me.data.viewer).toEqual({ followingCount: 0, following: { edges: [] } });
});

test('following and unfollowing in one request: each answer reflects its own write', async () => {
  const { bob, session } = await pair();
  const res = await app.query(
    `mutation($id: ID!) {
      a: followUser(userId: $id) { followersCount viewerIsFollowing }
      b: unfollowUser(userId: $id) { followersCount viewerIsFollowing }
      c: followUser(userId: $id) { followersCount viewerIsFollowing }
    }`,
    { id: bob.gid },
    session,
  );
  expect(res.data).toEqual({
    a: { followersCount: 1, viewerIsFollowing: true },
    b: { followersCount: 0, viewerIsFollowing: false },
    c: { followersCount: 1, viewerIsFollowing: true },
  });
});

test('following yourself is BAD_USER_INPUT naming userId, and writes nothing', async () => {
  const { ada, session } = await pair();
  const rows = await followRows();
  const res = await app.query(FOLLOW, { id: ada.gid }, session);
  expect(res.data).toBeNull();
  expect(errorOf(res)).toMatchObject({
    code: 'BAD_USER_INPUT',
    details: [{ field: 'userId', message: expect.stringContaining('cannot follow yourself') }],
  });
  expect(await followRows()).toBe(rows);
});

test('unfollowing yourself changes nothing and is not an error', async () => {
  const { ada, session } = await pair();
  const res = await app.query(UNFOLLOW, { id: ada.gid }, session);
  expect(res.errors).toBeUndefined();
  expect(res.data.unfollowUser).toMatchObject({ id: ada.gid, viewerIsFollowing: false });
});

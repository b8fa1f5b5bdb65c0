// Read-your-writes across instances for follows and likes: with answers cached on instance B, a
// mutation through instance A is seen on B as soon as A has answered (a TTL of a minute: no pass
// can come from expiry), and answers it does not touch stay cached.
import { describe, expect, test } from 'vitest';
import { isStillCached, mutate, read, warm } from '../support/cached.js';
import { given } from '../support/given.js';
import { signIn } from '../support/sign-in.js';
import { startTwinApps } from '../support/twin-apps.js';

const REDIS_URL = process.env.REDIS_URL;
const twins = () => startTwinApps({ redisUrl: REDIS_URL!, env: { RESPONSE_CACHE_TTL_MS: '60000' } });

const FOLLOWS = `query($id: ID!) { user(id: $id) {
  followersCount followingCount viewerIsFollowing
  followers(first: 50) { edges { node { name } } } following(first: 50) { edges { node { name } } } } }`;
const FEED = '{ feed(first: 50) { edges { node { title } } } }';
const POST = 'query($id: ID!) { post(id: $id) { likesCount viewerHasLiked } }';
const POSTS = '{ posts(first: 50) { edges { node { title likesCount } } } }';
const USER = 'query($id: ID!) { user(id: $id) { name } }';
const FOLLOW = 'mutation($userId: ID!) { followUser(userId: $userId) { id } }';
const UNFOLLOW = 'mutation($userId: ID!) { unfollowUser(userId: $userId) { id } }';
const LIKE = 'mutation($postId: ID!) { likePost(postId: $postId) { id } }';
const UNLIKE = 'mutation($postId: ID!) { unlikePost(postId: $postId) { id } }';
const names = (connection: any) => connection.edges.map((edge: any) => edge.node.name);

/** Ada, who writes; Bob, who follows or likes; Carol, whom nothing here is about. */
async function people(a: Parameters<typeof given>[0]) {
  const [ada, bob, carol] = await given(a).users(3);
  const post = await given(a).post({ by: ada!, title: 'By Ada' });
  return { ada: ada!, bob: bob!, carol: carol!, post, asBob: await signIn(a, bob!) };
}

describe.skipIf(!REDIS_URL)('across two instances on one Redis', () => {
  test('followUser: both users’ counts and lists, viewerIsFollowing, and the follower’s feed', async () => {
    const [a, b] = await twins();
    const { ada, bob, carol, asBob } = await people(a);
    await warm(b, FOLLOWS, { id: ada.gid }, asBob);
    await warm(b, FOLLOWS, { id: bob.gid });
    expect((await warm(b, FEED, undefined, asBob)).feed.edges).toEqual([]);
    await warm(b, USER, { id: carol.gid });

    await mutate(a, FOLLOW, { userId: ada.gid }, asBob);
    const followee = (await read(b, FOLLOWS, { id: ada.gid }, asBob)).user;
    expect([followee.followersCount, followee.viewerIsFollowing, names(followee.followers)]).toEqual([1, true, [bob.name]]);
    const follower = (await read(b, FOLLOWS, { id: bob.gid })).user;
    expect([follower.followingCount, names(follower.following)]).toEqual([1, [ada.name]]);
    expect((await read(b, FEED, undefined, asBob)).feed.edges).toEqual([{ node: { title: 'By Ada' } }]);
    expect(await isStillCached(b, USER, { id: carol.gid }), 'an unrelated user stays cached').toBe(true);
  });

  test('unfollowUser: both users’ counts and lists, viewerIsFollowing, and the follower’s feed', async () => {
    const [a, b] = await twins();
    const { ada, bob, carol, asBob } = await people(a);
    await given(a).follow(bob, ada);
    await warm(b, FOLLOWS, { id: ada.gid }, asBob);
    await warm(b, FOLLOWS, { id: bob.gid });
    expect((await warm(b, FEED, undefined, asBob)).feed.edges).toHaveLength(1);
    await warm(b, USER, { id: carol.gid });

    await mutate(a, UNFOLLOW, { userId: ada.gid }, asBob);
    const followee = (await read(b, FOLLOWS, { id: ada.gid }, asBob)).user;
    expect([followee.followersCount, followee.viewerIsFollowing, names(followee.followers)]).toEqual([0, false, []]);
    const follower = (await read(b, FOLLOWS, { id: bob.gid })).user;
    expect([follower.followingCount, names(follower.following)]).toEqual([0, []]);
    expect((await read(b, FEED, undefined, asBob)).feed.edges).toEqual([]);
    expect(await isStillCached(b, USER, { id: carol.gid }), 'an unrelated user stays cached').toBe(true);
  });

  test('likePost: likesCount for everyone, viewerHasLiked for the liker, the lists holding the post', async () => {
    const [a, b] = await twins();
    const { carol, post, asBob } = await people(a);
    await warm(b, POST, { id: post.gid }, asBob);
    await warm(b, POST, { id: post.gid });
    await warm(b, POSTS);
    await warm(b, USER, { id: carol.gid });

    await mutate(a, LIKE, { postId: post.gid }, asBob);
    expect((await read(b, POST, { id: post.gid }, asBob)).post).toEqual({ likesCount: 1, viewerHasLiked: true });
    expect((await read(b, POST, { id: post.gid })).post).toEqual({ likesCount: 1, viewerHasLiked: false });
    expect((await read(b, POSTS)).posts.edges).toEqual([{ node: { title: 'By Ada', likesCount: 1 } }]);
    expect(await isStillCached(b, USER, { id: carol.gid }), 'an unrelated user stays cached').toBe(true);
  });

  test('unlikePost: likesCount for everyone, viewerHasLiked for the liker, the lists holding the post', async () => {
    const [a, b] = await twins();
    const { bob, carol, post, asBob } = await people(a);
    await given(a).like(bob, post);
    await warm(b, POST, { id: post.gid }, asBob);
    await warm(b, POSTS);
    await warm(b, USER, { id: carol.gid });

    await mutate(a, UNLIKE, { postId: post.gid }, asBob);
    expect((await read(b, POST, { id: post.gid }, asBob)).post).toEqual({ likesCount: 0, viewerHasLiked: false });
    expect((await read(b, POSTS)).posts.edges).toEqual([{ node: { title: 'By Ada', likesCount: 0 } }]);
    expect(await isStillCached(b, USER, { id: carol.gid }), 'an unrelated user stays cached').toBe(true);
  });
});

// Read-your-writes across instances for posts and comments: with answers cached on instance B, a
// mutation through instance A is seen on B as soon as A has answered (a TTL of a minute: no pass
// can come from expiry), and answers it does not touch stay cached.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { describe, expect, test } from 'vitest';
import { isStillCached, mutate, read, warm } from '../support/cached.js';
import { given } from '../support/given.js';
import { signIn } from '../support/sign-in.js';
import { startTwinApps } from '../support/twin-apps.js';

const REDIS_URL = process.env.REDIS_URL;
const twins = () => startTwinApps({ redisUrl: REDIS_URL!, env: { RESPONSE_CACHE_TTL_MS: '60000' } });

const POSTS = '{ posts(first: 50) { edges { node { title } } } }';
const AUTHOR = 'query($id: ID!) { user(id: $id) { postsCount posts(first: 50) { edges { node { title } } } } }';
const FEED = '{ feed(first: 50) { edges { node { title } } } }';
const NODE = 'query($id: ID!) { node(id: $id) { id ... on Post { title } ... on Comment { body } } }';
const POST = 'query($id: ID!) { post(id: $id) { title commentsCount comments(first: 50) { edges { node { body } } } } }';
const USER = 'query($id: ID!) { user(id: $id) { name } }';
const titles = (connection: any) => connection.edges.map((edge: any) => edge.node.title);
const bodies = (data: any) => data.post.comments.edges.map((edge: any) => edge.node.body);

/** Ada, who writes; Bob, who follows her; Carol, whom nothing here is about. */
async function people(a: Parameters<typeof given>[0]) {
  const g = given(a);
  const [ada, bob, carol] = await g.users(3);
  await g.follow(bob!, ada!);
  return { ada: ada!, bob: bob!, carol: carol!, asAda: await signIn(a, ada!), asBob: await signIn(a, bob!) };
}

describe.skipIf(!REDIS_URL)('across two instances on one Redis', () => {
  test('createPost: every list of posts, the author’s posts and count, a follower’s feed, the new id', async () => {
    const [a, b] = await twins();
    const { ada, carol, asAda, asBob } = await people(a);
    const old = await given(a).post({ by: ada, title: 'Old' });
    const newId = encodeGlobalID('Post', old.id + 1);
    await warm(b, POSTS);
    await warm(b, AUTHOR, { id: ada.gid });
    await warm(b, FEED, undefined, asBob);
    expect((await warm(b, NODE, { id: newId })).node).toBeNull();
    await warm(b, USER, { id: carol.gid });

    await mutate(a, 'mutation { createPost(input: { title: "New", content: "Body." }) { id } }', undefined, asAda);
    expect(titles((await read(b, POSTS)).posts)).toEqual(['New', 'Old']);
    const author = (await read(b, AUTHOR, { id: ada.gid })).user;
    expect(author.postsCount).toBe(2);
    expect(titles(author.posts)).toEqual(['New', 'Old']);
    expect(titles((await read(b, FEED, undefined, asBob)).feed)).toEqual(['New', 'Old']);
    expect((await read(b, NODE, { id: newId })).node).toEqual({ id: newId, title: 'New' });
    expect(await isStillCached(b, USER, { id: carol.gid }), 'an unrelated user stays cached').toBe(true);
  });

  test('updatePost: the post wherever it shows', async () => {
    const [a, b] = await twins();
    const { ada, carol, asAda, asBob } = await people(a);
    const post = await given(a).post({ by: ada, title: 'Draft' });
    await warm(b, POST, { id: post.gid });
    await warm(b, POSTS);
    await warm(b, AUTHOR, { id: ada.gid });
    await warm(b, FEED, undefined, asBob);
    await warm(b, USER, { id: carol.gid });

    await mutate(a, 'mutation($id: ID!) { updatePost(id: $id, input: { title: "Final" }) { id } }', { id: post.gid }, asAda);
    expect((await read(b, POST, { id: post.gid })).post.title).toBe('Final');
    expect(titles((await read(b, POSTS)).posts)).toEqual(['Final']);
    expect(titles((await read(b, AUTHOR, { id: ada.gid })).user.posts)).toEqual(['Final']);
    expect(titles((await read(b, FEED, undefined, asBob)).feed)).toEqual(['Final']);
    expect(await isStillCached(b, USER, { id: carol.gid }), 'an unrelated user stays cached').toBe(true);
  });

  test('deletePost: the post, its comments, every list, the author’s count and a follower’s feed', async () => {
    const [a, b] = await twins();
    const { ada, bob, carol, asAda, asBob } = await people(a);
    const kept = await given(a).post({ by: ada, title: 'Kept' });
    const doomed = await given(a).post({ by: ada, title: 'Doomed' });
    const comment = await given(a).comment({ on: doomed, by: bob, body: 'Nice' });
    await warm(b, POSTS);
    await warm(b, AUTHOR, { id: ada.gid });
    await warm(b, FEED, undefined, asBob);
    await warm(b, NODE, { id: doomed.gid });
    expect((await warm(b, NODE, { id: comment.gid })).node).toEqual({ id: comment.gid, body: 'Nice' });
    await warm(b, USER, { id: carol.gid });

    await mutate(a, 'mutation($id: ID!) { deletePost(id: $id) }', { id: doomed.gid }, asAda);
    expect(titles((await read(b, POSTS)).posts)).toEqual(['Kept']);
    const author = (await read(b, AUTHOR, { id: ada.gid })).user;
    expect([author.postsCount, titles(author.posts)]).toEqual([1, ['Kept']]);
    expect(titles((await read(b, FEED, undefined, asBob)).feed)).toEqual(['Kept']);
    expect((await read(b, NODE, { id: doomed.gid })).node).toBeNull();
    expect((await read(b, NODE, { id: comment.gid })).node).toBeNull();
    expect((await read(b, NODE, { id: kept.gid })).node).toEqual({ id: kept.gid, title: 'Kept' });
    expect(await isStillCached(b, USER, { id: carol.gid }), 'an unrelated user stays cached').toBe(true);
  });

  test('createComment: the post’s comments and count, and the new id', async () => {
    const [a, b] = await twins();
    const { ada, carol, asBob } = await people(a);
    const post = await given(a).post({ by: ada });
    const old = await given(a).comment({ on: post, by: ada, body: 'First' });
    const newId = encodeGlobalID('Comment', old.id + 1);
    await warm(b, POST, { id: post.gid });
    expect((await warm(b, NODE, { id: newId })).node).toBeNull();
    await warm(b, USER, { id: carol.gid });

    await mutate(
      a,
      'mutation($postId: ID!) { createComment(input: { postId: $postId, body: "Second" }) { id } }',
      { postId: post.gid },
      asBob,
    );
    const after = await read(b, POST, { id: post.gid });
    expect([after.post.commentsCount, bodies(after)]).toEqual([2, ['First', 'Second']]);
    expect((await read(b, NODE, { id: newId })).node).toEqual({ id: newId, body: 'Second' });
    expect(await isStillCached(b, USER, { id: carol.gid }), 'an unrelated user stays cached').toBe(true);
  });

  test('deleteComment: the post’s comments and count, and the comment', async () => {
    const [a, b] = await twins();
    const { ada, bob, carol, asBob } = await people(a);
    const post = await given(a).post({ by: ada });
    await given(a).comment({ on: post, by: ada, body: 'Stays' });
    const doomed = await given(a).comment({ on: post, by: bob, body: 'Goes' });
    await warm(b, POST, { id: post.gid });
    await warm(b, NODE, { id: doomed.gid });
    await warm(b, USER, { id: carol.gid });

    await mutate(a, 'mutation($id: ID!) { deleteComment(id: $id) }', { id: doomed.gid }, asBob);
    const after = await read(b, POST, { id: post.gid });
    expect([after.post.commentsCount, bodies(after)]).toEqual([1, ['Stays']]);
    expect((await read(b, NODE, { id: doomed.gid })).node).toBeNull();
    expect(await isStillCached(b, USER, { id: carol.gid }), 'an unrelated user stays cached').toBe(true);
  });
});

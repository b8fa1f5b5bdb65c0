// Read-your-writes across instances (the contract's "Caching"), for the account mutations: with
// answers cached on instance B, a mutation through instance A is seen on B as soon as A has
// answered. The TTL is a minute, so no pass can come from an answer expiring.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { describe, expect, test } from 'vitest';
import { isStillCached, mutate, read, warm } from '../support/cached.js';
import { given } from '../support/given.js';
import { signIn } from '../support/sign-in.js';
import { startTwinApps } from '../support/twin-apps.js';

const REDIS_URL = process.env.REDIS_URL;
const twins = () => startTwinApps({ redisUrl: REDIS_URL!, env: { RESPONSE_CACHE_TTL_MS: '60000' } });

const USERS = '{ users(first: 50) { edges { node { id name } } } }';
const SEARCH = 'query($search: String!) { users(search: $search) { edges { node { name } } } }';
const NODE = 'query($id: ID!) { node(id: $id) { id ... on User { name } ... on Post { title } } }';
const USER = 'query($id: ID!) { user(id: $id) { name followersCount followingCount postsCount } }';
const POST = 'query($id: ID!) { post(id: $id) { title likesCount commentsCount author { name } } }';
const POSTS = '{ posts(first: 50) { edges { node { title } } } }';
const VIEWER = '{ viewer { name } }';
const names = (data: any) => data.users.edges.map((edge: any) => edge.node.name);
const titles = (data: any) => data.posts.edges.map((edge: any) => edge.node.title);

describe.skipIf(!REDIS_URL)('across two instances on one Redis', () => {
  test('createUser: the lists, searches and the id asked for before it existed', async () => {
    const [a, b] = await twins();
    const [ada] = await given(a).users(1);
    const post = await given(a).post({ by: ada!, title: 'Unrelated' });
    const newId = encodeGlobalID('User', ada!.id + 1);
    expect(names(await warm(b, USERS))).toEqual([ada!.name]);
    expect((await warm(b, SEARCH, { search: 'Zed' })).users.edges).toEqual([]);
    expect((await warm(b, NODE, { id: newId })).node).toBeNull();
    await warm(b, POST, { id: post.gid });

    await mutate(a, 'mutation { createUser(input: { name: "Zed", email: "zed@example.com", password: "long enough" }) { user { id } } }');
    expect(names(await read(b, USERS))).toContain('Zed');
    expect(names(await read(b, SEARCH, { search: 'Zed' }))).toEqual(['Zed']);
    expect((await read(b, NODE, { id: newId })).node).toEqual({ id: newId, name: 'Zed' });
    expect(await isStillCached(b, POST, { id: post.gid }), 'a post of someone else stays cached').toBe(true);
  });

  test('updateUser: the name wherever the user shows, and who a search finds', async () => {
    const [a, b] = await twins();
    const [ada, bob] = await given(a).users(2);
    const post = await given(a).post({ by: ada! });
    const asAda = await signIn(a, ada!);
    await warm(b, USER, { id: ada!.gid });
    await warm(b, POST, { id: post.gid });
    await warm(b, USERS);
    expect((await warm(b, SEARCH, { search: 'Lovelace' })).users.edges).toEqual([]);
    await warm(b, VIEWER, undefined, asAda);
    await warm(b, USER, { id: bob!.gid });

    await mutate(a, 'mutation($id: ID!) { updateUser(id: $id, input: { name: "Ada Lovelace" }) { id } }', { id: ada!.gid }, asAda);
    expect((await read(b, USER, { id: ada!.gid })).user.name).toBe('Ada Lovelace');
    expect((await read(b, POST, { id: post.gid })).post.author.name).toBe('Ada Lovelace');
    expect(names(await read(b, USERS))).toContain('Ada Lovelace');
    expect(names(await read(b, SEARCH, { search: 'Lovelace' }))).toEqual(['Ada Lovelace']);
    expect((await read(b, VIEWER, undefined, asAda)).viewer.name).toBe('Ada Lovelace');
    expect(await isStillCached(b, USER, { id: bob!.gid }), 'another user stays cached').toBe(true);
  });

  test('deleteUser: the account, its posts, its follows and its likes go everywhere', async () => {
    const [a, b] = await twins();
    const g = given(a);
    const [ada, bob] = await g.users(2);
    const adasPost = await g.post({ by: ada!, title: 'By Ada' });
    const bobsPost = await g.post({ by: bob!, title: 'By Bob' });
    await g.follow(ada!, bob!);
    await g.like(ada!, bobsPost);
    const asAda = await signIn(a, ada!);
    expect((await warm(b, NODE, { id: ada!.gid })).node).not.toBeNull();
    expect(titles(await warm(b, POSTS))).toEqual(['By Bob', 'By Ada']);
    expect((await warm(b, USER, { id: bob!.gid })).user.followersCount).toBe(1);
    expect((await warm(b, POST, { id: bobsPost.gid })).post.likesCount).toBe(1);

    await mutate(a, 'mutation($id: ID!) { deleteUser(id: $id) }', { id: ada!.gid }, asAda);
    expect((await read(b, NODE, { id: ada!.gid })).node).toBeNull();
    expect((await read(b, NODE, { id: adasPost.gid })).node).toBeNull();
    expect(titles(await read(b, POSTS))).toEqual(['By Bob']);
    expect((await read(b, USER, { id: bob!.gid })).user.followersCount).toBe(0);
    expect((await read(b, POST, { id: bobsPost.gid })).post.likesCount).toBe(0);
  });

  test('logOut: the revoked token is refused on the other instance, though its answers were cached', async () => {
    const [a, b] = await twins();
    const [ada] = await given(a).users(1);
    const asAda = await signIn(a, ada!);
    await warm(b, VIEWER, undefined, asAda);
    await warm(b, POSTS, undefined, asAda);

    await mutate(a, 'mutation { logOut }', undefined, asAda);
    for (const query of [VIEWER, POSTS]) {
      const res = await b.query(query, undefined, asAda);
      expect(res.errors?.[0]?.extensions.code, `${query} with a revoked token`).toBe('UNAUTHENTICATED');
      expect(res.data?.viewer).toBeUndefined();
    }
  });

  test('logIn changes nothing: what was cached stays cached, for the new token too', async () => {
    const [a, b] = await twins();
    const [ada] = await given(a).users(1);
    const asAda = await signIn(a, ada!);
    await warm(b, VIEWER, undefined, asAda);
    await warm(b, POSTS);

    const again = await signIn(a, ada!);
    expect(await isStillCached(b, VIEWER, undefined, asAda)).toBe(true);
    expect(await isStillCached(b, POSTS)).toBe(true);
    // Same user and token version: the new token is the same viewer as far as the cache goes.
    expect(await isStillCached(b, VIEWER, undefined, again)).toBe(true);
  });
});

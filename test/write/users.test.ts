// updateUser / deleteUser: only one's own account; validation like sign-up; the delete cascade.
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, test } from 'vitest';
import { users } from '../../src/db/schema.js';
import { given, GIVEN_PASSWORD, type Given, type GivenUser } from '../support/given.js';
import { errorOf, signIn } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

type User = GivenUser;
let app: TestApp;
let g: Given;
beforeAll(async () => {
  app = await startTestApp();
  g = given(app);
});

const UPDATE = `mutation($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { id name email } }`;
const DELETE = `mutation($id: ID!) { deleteUser(id: $id) }`;
const READ = `query($id: ID!) { user(id: $id) { name } }`;
const LOG_IN = `mutation($email: String!, $password: String!) { logIn(input: { email: $email, password: $password }) { user { id } } }`;

describe('updateUser', () => {
  test('changes only what is given, trimmed, and advances updated_at', async () => {
    const ada = await g.user({ name: 'Ada', email: 'ada@example.com' });
    const res = await app.query(UPDATE, { id: ada.gid, input: { name: '  Countess  ' } }, await signIn(app, ada));
    expect(res.errors).toBeUndefined();
    expect(res.data.updateUser).toEqual({ id: ada.gid, name: 'Countess', email: 'ada@example.com' });
    const [row] = await app.database.db.select().from(users).where(eq(users.id, ada.id));
    expect(row!.updatedAt.getTime()).toBeGreaterThan(ada.updatedAt.getTime());
    expect(row!.createdAt).toEqual(ada.createdAt);
  });

  test('a new email is the one to log in with from then on', async () => {
    const bob = await g.user({ email: 'bob@example.com' });
    const res = await app.query(UPDATE, { id: bob.gid, input: { email: ' Robert@Example.com ' } }, await signIn(app, bob));
    expect(res.data.updateUser.email).toBe('Robert@Example.com');
    const login = (email: string) => app.query(LOG_IN, { email, password: GIVEN_PASSWORD });
    expect((await login('robert@example.com')).data.logIn.user.id).toBe(bob.gid);
    expect(errorOf(await login('bob@example.com')).code).toBe('UNAUTHENTICATED');
  });

  test("someone else's email, in any case, is CONFLICT naming input.email; one's own in another case is fine", async () => {
    await g.user({ email: 'taken@example.com' });
    const cy = await g.user({ email: 'cy@example.com' });
    const session = await signIn(app, cy);
    const taken = await app.query(UPDATE, { id: cy.gid, input: { email: 'TAKEN@example.com' } }, session);
    expect(errorOf(taken)).toMatchObject({ code: 'CONFLICT', details: [{ field: 'input.email' }] });
    const recased = await app.query(UPDATE, { id: cy.gid, input: { email: 'CY@example.com' } }, session);
    expect(recased.data.updateUser.email).toBe('CY@example.com');
  });

  test.each([
    ['an empty name', { name: '' }, ['input.name']],
    ['a 101-character name', { name: 'n'.repeat(101) }, ['input.name']],
    ['a malformed email', { email: 'nope' }, ['input.email']],
    ['both', { name: '\u0000', email: 'a@b' }, ['input.name', 'input.email']],
    ['nothing to change', {}, ['input']],
    ['only nulls', { name: null, email: null }, ['input']],
  ])('%s is BAD_USER_INPUT and changes nothing', async (_label, input, fields) => {
    const dee = await g.user({ name: 'Dee' });
    const res = await app.query(UPDATE, { id: dee.gid, input }, await signIn(app, dee));
    expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', details: fields.map((field) => ({ field })) });
    expect((await app.query(READ, { id: dee.gid })).data.user).toEqual({ name: 'Dee' });
  });

  test("someone else's account is FORBIDDEN, and stays as it was", async () => {
    const [ada, bob] = await g.users(2);
    const res = await app.query(UPDATE, { id: ada!.gid, input: { name: 'Hacked' } }, await signIn(app, bob!));
    expect(res.data).toBeNull();
    expect(errorOf(res).code).toBe('FORBIDDEN');
    expect((await app.query(READ, { id: ada!.gid })).data.user).toEqual({ name: ada!.name });
  });
});

describe('deleteUser', () => {
  test("someone else's account is FORBIDDEN, and stays", async () => {
    const [ada, bob] = await g.users(2);
    const res = await app.query(DELETE, { id: ada!.gid }, await signIn(app, bob!));
    expect(errorOf(res).code).toBe('FORBIDDEN');
    expect((await app.query(READ, { id: ada!.gid })).data.user).toEqual({ name: ada!.name });
  });

  test("takes their posts, comments, follows both ways and likes with them; others' counts follow", async () => {
    const [leaving, friend, fan] = (await g.users(3)) as [User, User, User];
    const ownPost = await g.post({ by: leaving });
    await g.comment({ on: ownPost, by: friend });
    await g.like(friend, ownPost);
    const friendPost = await g.post({ by: friend });
    const theirComment = await g.comment({ on: friendPost, by: leaving });
    await g.comment({ on: friendPost, by: fan });
    await g.like(leaving, friendPost);
    await g.like(fan, friendPost);
    await g.follow(leaving, friend);
    await g.follow(friend, leaving);
    await g.follow(fan, friend);

    const res = await app.query(DELETE, { id: leaving.gid }, await signIn(app, leaving));
    expect(res.body.data).toEqual({ deleteUser: true });

    const after = await app.query(
      `query($gone: ID!, $friend: ID!, $ownPost: ID!, $friendPost: ID!, $comment: ID!) {
        gone: user(id: $gone) { id }
        ownPost: post(id: $ownPost) { id }
        comment: node(id: $comment) { id }
        friend: user(id: $friend) {
          followersCount followingCount
          followers { edges { node { id } } }
          following { edges { node { id } } }
        }
        friendPost: post(id: $friendPost) { likesCount commentsCount comments { edges { node { author { id } } } } }
        users { edges { node { id } } }
      }`,
      { gone: leaving.gid, friend: friend.gid, ownPost: ownPost.gid, friendPost: friendPost.gid, comment: theirComment.gid },
    );
    expect(after.errors).toBeUndefined();
    expect(after.data).toMatchObject({
      gone: null,
      ownPost: null,
      comment: null,
      friend: { followersCount: 1, followingCount: 0, followers: { edges: [{ node: { id: fan.gid } }] }, following: { edges: [] } },
      friendPost: { likesCount: 1, commentsCount: 1, comments: { edges: [{ node: { author: { id: fan.gid } } }] } },
    });
    expect(after.data.users.edges.map((e: any) => e.node.id)).not.toContain(leaving.gid);
    // The account is gone for logIn too.
    expect(errorOf(await app.query(LOG_IN, { email: leaving.email, password: GIVEN_PASSWORD })).code).toBe('UNAUTHENTICATED');
  });
});

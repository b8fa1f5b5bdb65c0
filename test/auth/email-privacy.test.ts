// A user's email is visible to that user only, on every path that reaches a user.
import { beforeAll, expect, test } from 'vitest';
import { given, type GivenUser, type GivenPost } from '../support/given.js';
import { signIn, type Session } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let ada: GivenUser;
let bob: GivenUser;
let post: GivenPost;
beforeAll(async () => {
  app = await startTestApp();
  const g = given(app);
  ada = await g.user({ name: 'Ada', email: 'ada@example.com' });
  bob = await g.user({ name: 'Bob', email: 'bob@example.com' });
  post = await g.post({ by: ada });
  await g.comment({ on: post, by: bob });
  await g.follow(ada, bob);
  await g.follow(bob, ada);
});

const EVERY_PATH = `query($ada: ID!, $bob: ID!, $post: ID!) {
  viewer { id email }
  ada: user(id: $ada) { id email
    followers { edges { node { id email } } }
    following { edges { node { id email } } }
  }
  bob: user(id: $bob) { id email }
  node(id: $ada) { ... on User { id email } }
  nodes(ids: [$ada, $bob]) { ... on User { id email } }
  users { edges { node { id email } } }
  post(id: $post) { author { id email } comments { edges { node { author { id email } } } } }
  posts { edges { node { author { id email } } } }
}`;

/** Every { id, email } object in a response, wherever it sits. */
function usersIn(value: unknown): { id: string; email: string | null }[] {
  if (Array.isArray(value)) return value.flatMap(usersIn);
  if (!value || typeof value !== 'object') return [];
  const found = 'email' in value ? [value as { id: string; email: string | null }] : [];
  return [...found, ...Object.values(value).flatMap(usersIn)];
}

async function seen(session?: Session) {
  const res = await app.query(EVERY_PATH, { ada: ada.gid, bob: bob.gid, post: post.gid }, session);
  expect(res.errors).toBeUndefined();
  return usersIn(res.data);
}

test("each user sees their own email everywhere, and nobody else's anywhere", async () => {
  for (const [me, other] of [
    [ada, bob],
    [bob, ada],
  ] as const) {
    const users = await seen(await signIn(app, me));
    const mine = users.filter((u) => u.id === me.gid);
    const theirs = users.filter((u) => u.id === other.gid);
    // Ada appears as user, node, nodes, users, post.author, posts' author (and viewer); Bob as
    // user, nodes, users, a comment's author, Ada's follower and Ada's followee (and viewer).
    expect(mine).toHaveLength(7);
    expect(theirs).toHaveLength(6);
    expect(mine.every((u) => u.email === me.email)).toBe(true);
    expect(theirs.every((u) => u.email === null)).toBe(true);
  }
});

test('anonymous callers see no email at all', async () => {
  const users = await seen();
  expect(users).toHaveLength(12);
  expect(users.every((u) => u.email === null)).toBe(true);
});

test("mutations that return users show only the viewer's email", async () => {
  const session = await signIn(app, bob);
  const res = await app.query(
    `mutation($ada: ID!) { followUser(userId: $ada) { email followers { edges { node { id email } } } } }`,
    { ada: ada.gid },
    session,
  );
  expect(res.data.followUser.email).toBeNull();
  expect(res.data.followUser.followers.edges).toEqual([{ node: { id: bob.gid, email: bob.email } }]);
});

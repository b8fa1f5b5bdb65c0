// Answers that depend on the viewer never reach another viewer (the contract's "Caching"): the
// same document and variables, asked by X, by Y and anonymously, in every order, each get their
// own answer, also when the other's is cached.
import { beforeAll, expect, test } from 'vitest';
import { given, type GivenPost, type GivenUser } from '../support/given.js';
import { restClient } from '../support/rest-client.js';
import { signIn, type Session } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let author: GivenUser;
let x: GivenUser;
let y: GivenUser;
let post: GivenPost;
let asX: Session;
let asY: Session;

beforeAll(async () => {
  app = await startTestApp({ env: { RESPONSE_CACHE_TTL_MS: '60000' } });
  const g = given(app);
  [author, x, y] = (await g.users(3)) as [GivenUser, GivenUser, GivenUser];
  post = await g.post({ by: author, title: 'By the author' });
  await g.follow(x, author);
  await g.like(x, post);
  asX = await signIn(app, x);
  asY = await signIn(app, y);
});

/** Asks `query` as each viewer twice, in both orders, and expects each one's own answer every time. */
async function expectOwnAnswers(
  query: string,
  variables: Record<string, unknown>,
  expected: { x: unknown; y: unknown; anonymous: unknown },
) {
  const askers = [
    { who: 'x', session: asX },
    { who: 'y', session: asY },
    { who: 'anonymous', session: undefined },
  ] as const;
  for (const [round, order] of [askers, [...askers].reverse()].entries()) {
    for (const { who, session } of order) {
      const res = await app.query(query, variables, session);
      expect(res.body.data ?? res.errors?.[0]?.extensions.code, `${query} as ${who}`).toEqual(expected[who]);
      // The second round is served from the cache: each viewer's answer was there to be leaked.
      if (round === 1 && !res.errors) expect(res.headers.get('x-cache'), `${query} as ${who}, again`).toBe('HIT');
    }
  }
}

test('viewer { email } is each viewer’s own', async () => {
  await expectOwnAnswers(
    '{ viewer { email } }',
    {},
    {
      x: { viewer: { email: x.email } },
      y: { viewer: { email: y.email } },
      anonymous: { viewer: null },
    },
  );
});

test('a user’s email shows to that user only', async () => {
  await expectOwnAnswers(
    'query($id: ID!) { user(id: $id) { email } }',
    { id: x.gid },
    {
      x: { user: { email: x.email } },
      y: { user: { email: null } },
      anonymous: { user: { email: null } },
    },
  );
});

test('viewerHasLiked is each viewer’s own', async () => {
  await expectOwnAnswers(
    'query($id: ID!) { post(id: $id) { viewerHasLiked } }',
    { id: post.gid },
    {
      x: { post: { viewerHasLiked: true } },
      y: { post: { viewerHasLiked: false } },
      anonymous: { post: { viewerHasLiked: false } },
    },
  );
});

test('viewerIsFollowing is each viewer’s own', async () => {
  await expectOwnAnswers(
    'query($id: ID!) { user(id: $id) { viewerIsFollowing } }',
    { id: author.gid },
    {
      x: { user: { viewerIsFollowing: true } },
      y: { user: { viewerIsFollowing: false } },
      anonymous: { user: { viewerIsFollowing: false } },
    },
  );
});

test('feed is each viewer’s own, and anonymous is never served one', async () => {
  await expectOwnAnswers(
    '{ feed(first: 5) { edges { node { title } } } }',
    {},
    {
      x: { feed: { edges: [{ node: { title: 'By the author' } }] } },
      y: { feed: { edges: [] } },
      anonymous: 'UNAUTHENTICATED',
    },
  );
});

test('over REST, /v1/me and /v1/me/feed are each viewer’s own', async () => {
  const rest = restClient(app);
  for (let round = 0; round < 2; round++) {
    for (const [session, user, feedLength] of [
      [asX, x, 1],
      [asY, y, 0],
    ] as const) {
      const me = await rest.get('/v1/me', { headers: session.headers });
      expect(me.body.data.email).toBe(user.email);
      if (round === 1) expect(me.statements).toBe(0);
      expect((await rest.get('/v1/me/feed', { headers: session.headers })).body.data).toHaveLength(feedLength);
    }
  }
});

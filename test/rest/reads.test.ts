// REST reads (rest.md): every GET route answers in the envelope, with snake_case fields, what
// POST /graphql answers for the same viewer; email only to its owner; 404 for ids naming nothing
// or another type, 400 for malformed ids, 404 for unknown paths.
import { beforeAll, describe, expect, it } from 'vitest';
import { given, type GivenComment, type GivenPost, type GivenUser } from '../support/given.js';
import {
  COMMENT_FIELDS,
  POST_FIELDS,
  readTwin,
  restComment,
  restPost,
  restUser,
  USER_FIELDS,
  type Twin,
} from '../support/graphql-twins.js';
import { restClient, type RestClient } from '../support/rest-client.js';
import { signIn, type Session } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let rest: RestClient;
let alice: GivenUser;
let bob: GivenUser;
let carol: GivenUser;
let bobsPost: GivenPost;
let alicesPost: GivenPost;
let carolsComment: GivenComment;
let asAlice: Session;

beforeAll(async () => {
  app = await startTestApp();
  rest = restClient(app);
  const g = given(app);
  [alice, bob, carol] = (await g.users(3)) as [GivenUser, GivenUser, GivenUser];
  await g.follow(alice, bob);
  await g.follow(carol, alice);
  bobsPost = await g.post({ by: bob, title: 'Bob writes' });
  alicesPost = await g.post({ by: alice, title: 'Alice writes' });
  await g.like(alice, bobsPost);
  carolsComment = await g.comment({ on: bobsPost, by: carol, body: 'Nice one' });
  asAlice = await signIn(app, alice);
});

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Every read route with the GraphQL read it stands for. */
function readRoutes(): { path: string; twin: Twin }[] {
  const page = (field: string, fields: string) => `${field} { edges { node { ${fields} } } }`;
  const one = (select: string, shape: Twin['shape']) => ({ select, shape, list: false });
  const list = (select: string, shape: Twin['shape']) => ({ select, shape, list: true });
  return [
    {
      path: `/v1/users/${bob.gid}`,
      twin: { query: `query($id: ID!) { user(id: $id) { ${USER_FIELDS} } }`, variables: { id: bob.gid }, ...one('user', restUser) },
    },
    { path: '/v1/users', twin: { query: `{ ${page('users', USER_FIELDS)} }`, ...list('users', restUser) } },
    {
      path: `/v1/users/${bob.gid}/posts`,
      twin: {
        query: `query($id: ID!) { user(id: $id) { ${page('posts', POST_FIELDS)} } }`,
        variables: { id: bob.gid },
        ...list('user.posts', restPost),
      },
    },
    {
      path: `/v1/users/${bob.gid}/followers`,
      twin: {
        query: `query($id: ID!) { user(id: $id) { ${page('followers', USER_FIELDS)} } }`,
        variables: { id: bob.gid },
        ...list('user.followers', restUser),
      },
    },
    {
      path: `/v1/users/${alice.gid}/following`,
      twin: {
        query: `query($id: ID!) { user(id: $id) { ${page('following', USER_FIELDS)} } }`,
        variables: { id: alice.gid },
        ...list('user.following', restUser),
      },
    },
    { path: '/v1/posts', twin: { query: `{ ${page('posts', POST_FIELDS)} }`, ...list('posts', restPost) } },
    {
      path: `/v1/posts?author=${bob.gid}`,
      twin: {
        query: `query($id: ID!) { user(id: $id) { ${page('posts', POST_FIELDS)} } }`,
        variables: { id: bob.gid },
        ...list('user.posts', restPost),
      },
    },
    {
      path: `/v1/posts/${bobsPost.gid}`,
      twin: { query: `query($id: ID!) { post(id: $id) { ${POST_FIELDS} } }`, variables: { id: bobsPost.gid }, ...one('post', restPost) },
    },
    {
      path: `/v1/posts/${bobsPost.gid}/comments`,
      twin: {
        query: `query($id: ID!) { post(id: $id) { ${page('comments', COMMENT_FIELDS)} } }`,
        variables: { id: bobsPost.gid },
        ...list('post.comments', restComment),
      },
    },
    {
      path: `/v1/comments/${carolsComment.gid}`,
      twin: {
        query: `query($id: ID!) { node(id: $id) { ... on Comment { ${COMMENT_FIELDS} } } }`,
        variables: { id: carolsComment.gid },
        ...one('node', restComment),
      },
    },
  ];
}

describe('every read route', () => {
  it('answers what POST /graphql answers, for the signed-in viewer and for the anonymous', async () => {
    for (const session of [asAlice, undefined]) {
      for (const { path, twin } of readRoutes()) {
        const res = await rest.get(path, session);
        expect(res.status, path).toBe(200);
        expect(res.body.data, path).toEqual(await readTwin(app, twin, session));
      }
    }
  });

  it('wraps its answer in the envelope whose request_id is the X-Request-ID', async () => {
    for (const { path, twin } of readRoutes()) {
      const res = await rest.get(path);
      expect(Object.keys(res.body).sort(), path).toEqual(
        twin.list ? ['data', 'meta', 'pagination', 'success'] : ['data', 'meta', 'success'],
      );
      expect(res.body.success).toBe(true);
      expect(res.body.meta).toEqual({ request_id: res.headers.get('x-request-id') });
      for (const header of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) {
        expect(res.headers.get(header), `${path} ${header}`).toMatch(/^\d+$/);
      }
    }
  });

  it('answers 401 UNAUTHENTICATED to a present but invalid token, even where a token is optional', async () => {
    for (const path of ['/v1/posts', `/v1/users/${bob.gid}`, '/v1/me']) {
      const res = await rest.get(path, { headers: { authorization: 'Bearer not-a-token' } });
      expect(res.status, path).toBe(401);
      expect(res.headers.get('www-authenticate'), path).toBe('Bearer');
      expect(res.body.error.code, path).toBe('UNAUTHENTICATED');
    }
  });
});

describe('GET /v1/posts/{id}', () => {
  it('is the post with snake_case fields, ISO times with milliseconds, its author and counts', async () => {
    const res = await rest.get(`/v1/posts/${bobsPost.gid}`, asAlice);
    expect(res.body.data).toEqual({
      id: bobsPost.gid,
      title: 'Bob writes',
      content: 'Hello.',
      author: { id: bob.gid, name: bob.name },
      created_at: bobsPost.createdAt.toISOString(),
      updated_at: bobsPost.updatedAt.toISOString(),
      comments_count: 1,
      likes_count: 1,
      viewer_has_liked: true,
    });
    expect(res.body.data.created_at).toMatch(ISO_MS);
  });

  it('says viewer_has_liked false to someone who has not liked it, and to the anonymous', async () => {
    expect((await rest.get(`/v1/posts/${bobsPost.gid}`, await signIn(app, carol))).body.data.viewer_has_liked).toBe(false);
    expect((await rest.get(`/v1/posts/${bobsPost.gid}`)).body.data.viewer_has_liked).toBe(false);
  });
});

describe('users', () => {
  it('GET /v1/users/{id} is the user with counts and viewer_is_following', async () => {
    const res = await rest.get(`/v1/users/${bob.gid}`, asAlice);
    expect(res.body.data).toEqual({
      id: bob.gid,
      name: bob.name,
      email: null,
      created_at: bob.createdAt.toISOString(),
      posts_count: 1,
      followers_count: 1,
      following_count: 0,
      viewer_is_following: true,
    });
    expect((await rest.get(`/v1/users/${bob.gid}`)).body.data.viewer_is_following).toBe(false);
  });

  it('GET /v1/me is the viewer, with their email', async () => {
    const res = await rest.get('/v1/me', asAlice);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      id: alice.gid,
      name: alice.name,
      email: alice.email,
      posts_count: 1,
      following_count: 1,
      followers_count: 1,
    });
  });

  it('GET /v1/me anonymous is 401 UNAUTHENTICATED with WWW-Authenticate: Bearer', async () => {
    const res = await rest.get('/v1/me');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('followers and following list the right people', async () => {
    const ids = async (path: string) => (await rest.get(path)).body.data.map((user: { id: string }) => user.id);
    expect(await ids(`/v1/users/${bob.gid}/followers`)).toEqual([alice.gid]);
    expect(await ids(`/v1/users/${alice.gid}/following`)).toEqual([bob.gid]);
    expect(await ids(`/v1/users/${alice.gid}/followers`)).toEqual([carol.gid]);
  });
});

describe('email', () => {
  it('is shown to the user themself at /v1/me and /v1/users/{own id}', async () => {
    expect((await rest.get('/v1/me', asAlice)).body.data.email).toBe(alice.email);
    expect((await rest.get(`/v1/users/${alice.gid}`, asAlice)).body.data.email).toBe(alice.email);
  });

  it('is null for other viewers and for the anonymous', async () => {
    expect((await rest.get(`/v1/users/${alice.gid}`, await signIn(app, bob))).body.data.email).toBeNull();
    expect((await rest.get(`/v1/users/${alice.gid}`)).body.data.email).toBeNull();
  });

  it('is null in lists for everyone but its owner', async () => {
    const emails = async (path: string, session?: Session) =>
      Object.fromEntries((await rest.get(path, session)).body.data.map((user: any) => [user.id, user.email]));
    expect(await emails('/v1/users', asAlice)).toEqual({ [alice.gid]: alice.email, [bob.gid]: null, [carol.gid]: null });
    expect(await emails('/v1/users')).toEqual({ [alice.gid]: null, [bob.gid]: null, [carol.gid]: null });
    expect(await emails(`/v1/users/${bob.gid}/followers`, asAlice)).toEqual({ [alice.gid]: alice.email });
    expect(await emails(`/v1/users/${bob.gid}/followers`)).toEqual({ [alice.gid]: null });
  });
});

describe('post lists and comments', () => {
  it('GET /v1/me/feed is the viewer’s posts and those of whom they follow, newest first', async () => {
    const res = await rest.get('/v1/me/feed', asAlice);
    expect(res.body.data.map((post: { id: string }) => post.id)).toEqual([alicesPost.gid, bobsPost.gid]);
    expect((await rest.get('/v1/me/feed')).status).toBe(401);
  });

  it('GET /v1/posts?author= keeps that user’s posts; an author with none is an empty list', async () => {
    expect((await rest.get(`/v1/posts?author=${bob.gid}`)).body.data.map((post: { id: string }) => post.id)).toEqual([bobsPost.gid]);
    expect((await rest.get(`/v1/posts?author=${carol.gid}`)).body.data).toEqual([]);
  });

  it('an author that is not a User id is 400 BAD_USER_INPUT naming "author"', async () => {
    for (const author of ['nope', bobsPost.gid]) {
      const res = await rest.get(`/v1/posts?author=${author}`);
      expect(res.status, author).toBe(400);
      expect(res.body.error, author).toMatchObject({ code: 'BAD_USER_INPUT', details: [{ field: 'author' }] });
    }
  });

  it('a comment has its author and post_id, alone and in its post’s list', async () => {
    const expected = {
      id: carolsComment.gid,
      body: 'Nice one',
      author: { id: carol.gid, name: carol.name },
      post_id: bobsPost.gid,
      created_at: carolsComment.createdAt.toISOString(),
    };
    expect((await rest.get(`/v1/comments/${carolsComment.gid}`)).body.data).toEqual(expected);
    expect((await rest.get(`/v1/posts/${bobsPost.gid}/comments`)).body.data).toEqual([expected]);
  });
});

describe('ids and paths', () => {
  const missing = { User: 'VXNlcjo5OTk5OTk=', Post: 'UG9zdDo5OTk5OTk=', Comment: 'Q29tbWVudDo5OTk5OTk=' }; // …:999999

  it('a well-formed id that names nothing is 404 NOT_FOUND', async () => {
    for (const path of [
      `/v1/users/${missing.User}`,
      `/v1/users/${missing.User}/posts`,
      `/v1/users/${missing.User}/followers`,
      `/v1/users/${missing.User}/following`,
      `/v1/posts/${missing.Post}`,
      `/v1/posts/${missing.Post}/comments`,
      `/v1/comments/${missing.Comment}`,
    ]) {
      const res = await rest.get(path);
      expect(res.status, path).toBe(404);
      expect(res.body.error, path).toMatchObject({ code: 'NOT_FOUND', details: [] });
    }
  });

  it('an id of another type is 404 NOT_FOUND', async () => {
    for (const path of [
      `/v1/users/${bobsPost.gid}`,
      `/v1/users/${carolsComment.gid}/posts`,
      `/v1/posts/${bob.gid}`,
      `/v1/posts/${carolsComment.gid}/comments`,
      `/v1/comments/${bobsPost.gid}`,
    ]) {
      const res = await rest.get(path);
      expect(res.status, path).toBe(404);
      expect(res.body.error.code, path).toBe('NOT_FOUND');
    }
  });

  it('a malformed id is 400 BAD_USER_INPUT naming the field "id"', async () => {
    for (const path of ['/v1/users/not-an-id', '/v1/users/%25%25/posts', '/v1/posts/12', '/v1/posts/bm9wZQ/comments', '/v1/comments/x']) {
      const res = await rest.get(path);
      expect(res.status, path).toBe(400);
      expect(res.body.error, path).toMatchObject({ code: 'BAD_USER_INPUT', details: [{ field: 'id' }] });
    }
  });

  it('an unknown path is 404 NOT_FOUND in the error envelope', async () => {
    for (const path of ['/v1/nothing', '/v1/posts/x/y/z', '/v1']) {
      const res = await rest.get(path);
      expect(res.status, path).toBe(404);
      expect(res.body, path).toEqual({
        success: false,
        error: { code: 'NOT_FOUND', message: expect.any(String), details: [] },
        meta: { request_id: res.headers.get('x-request-id') },
      });
    }
  });
});

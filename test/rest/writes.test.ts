// REST writes: posts, comments, follows, likes and accounts, each with who may do it.
import { beforeAll, describe, expect, it } from 'vitest';
import { given, type Given, type GivenUser } from '../support/given.js';
import { restClient, type RestClient } from '../support/rest-client.js';
import { signIn, type Session } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let rest: RestClient;
let g: Given;
beforeAll(async () => {
  app = await startTestApp();
  rest = restClient(app);
  g = given(app);
});

/** A fresh user with a real session. */
async function someone(name?: string): Promise<GivenUser & { session: Session }> {
  const user = await g.user(name ? { name } : {});
  return { ...user, session: await signIn(app, user) };
}

const as = (user: { session: Session }, json?: unknown) => ({ headers: user.session.headers, json });
const path = (prefix: string, id: string) => `${prefix}/${encodeURIComponent(id)}`;

describe('posts', () => {
  it('create answers 201 with the post and a Location that reads it back', async () => {
    const ada = await someone('Ada');
    const created = await rest.post('/v1/posts', as(ada, { title: 'Hello', content: 'World' }));
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({
      title: 'Hello',
      content: 'World',
      author: { id: ada.gid, name: 'Ada' },
      comments_count: 0,
      likes_count: 0,
      viewer_has_liked: false,
    });
    const location = created.headers.get('location')!;
    expect(location).toBe(path('/v1/posts', created.body.data.id));
    const read = await rest.get(location);
    expect(read.status).toBe(200);
    expect(read.body.data).toMatchObject({ id: created.body.data.id, title: 'Hello', content: 'World' });
  });

  it('PATCH by the author changes the post and advances updated_at', async () => {
    const ada = await someone();
    const post = await g.post({ by: ada, title: 'Before' });
    const res = await rest.patch(path('/v1/posts', post.gid), as(ada, { title: 'After' }));
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: post.gid, title: 'After', content: post.content });
    expect(Date.parse(res.body.data.updated_at)).toBeGreaterThan(post.updatedAt.getTime());
    expect(res.body.data.created_at).toBe(post.createdAt.toISOString());
    expect((await rest.get(path('/v1/posts', post.gid))).body.data.title).toBe('After');
  });

  it('PATCH by another user is 403 FORBIDDEN and changes nothing', async () => {
    const post = await g.post({ by: await g.user(), title: 'Mine' });
    const res = await rest.patch(path('/v1/posts', post.gid), as(await someone(), { title: 'Yours now' }));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    expect((await rest.get(path('/v1/posts', post.gid))).body.data.title).toBe('Mine');
  });

  it('DELETE by the author is 204; the post is then 404', async () => {
    const ada = await someone();
    const post = await g.post({ by: ada });
    expect((await rest.delete(path('/v1/posts', post.gid), as(ada))).status).toBe(204);
    const read = await rest.get(path('/v1/posts', post.gid));
    expect(read.status).toBe(404);
    expect(read.body.error.code).toBe('NOT_FOUND');
  });

  it('DELETE by another user is 403 and the post stays', async () => {
    const post = await g.post({ by: await g.user() });
    const res = await rest.delete(path('/v1/posts', post.gid), as(await someone()));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    expect((await rest.get(path('/v1/posts', post.gid))).status).toBe(200);
  });

  it('PATCH or DELETE of a post that does not exist is 404', async () => {
    const ada = await someone();
    const post = await g.post({ by: ada });
    await rest.delete(path('/v1/posts', post.gid), as(ada));
    expect((await rest.patch(path('/v1/posts', post.gid), as(ada, { title: 'x' }))).status).toBe(404);
    expect((await rest.delete(path('/v1/posts', post.gid), as(ada))).status).toBe(404);
  });
});

it('every write carries the rate-limit headers, its cost taken from the one budget', async () => {
  const ada = await someone();
  const created = await rest.post('/v1/posts', as(ada, { title: 'Counted', content: 'Hello.' }));
  const removed = await rest.delete(path('/v1/posts', created.body.data.id), as(ada));
  for (const res of [created, removed]) {
    expect(res.headers.get('x-ratelimit-limit')).toBe('10000');
    expect(res.headers.get('x-ratelimit-reset')).toMatch(/^\d+$/);
  }
  expect(Number(removed.headers.get('x-ratelimit-remaining'))).toBeLessThan(Number(created.headers.get('x-ratelimit-remaining')));
});

describe('comments', () => {
  it('POST /v1/posts/{id}/comments answers 201 with the comment and its Location', async () => {
    const post = await g.post({ by: await g.user() });
    const bob = await someone('Bob');
    const created = await rest.post(path('/v1/posts', post.gid) + '/comments', as(bob, { body: 'Nice.' }));
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ body: 'Nice.', post_id: post.gid, author: { id: bob.gid, name: 'Bob' } });
    const location = created.headers.get('location')!;
    expect(location).toBe(path('/v1/comments', created.body.data.id));
    expect((await rest.get(location)).body.data).toMatchObject({ id: created.body.data.id, body: 'Nice.', post_id: post.gid });
    expect((await rest.get(path('/v1/posts', post.gid))).body.data.comments_count).toBe(1);
  });

  it('on a post that does not exist is 404', async () => {
    const ada = await someone();
    const post = await g.post({ by: ada });
    await rest.delete(path('/v1/posts', post.gid), as(ada));
    const res = await rest.post(path('/v1/posts', post.gid) + '/comments', as(ada, { body: 'Anyone?' }));
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  it('DELETE by the comment author, or by the post author, is 204; by a third user 403', async () => {
    const author = await someone();
    const commenter = await someone();
    const stranger = await someone();
    const post = await g.post({ by: author });
    const [first, second] = [await g.comment({ on: post, by: commenter }), await g.comment({ on: post, by: commenter })];

    const refused = await rest.delete(path('/v1/comments', first.gid), as(stranger));
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
    expect((await rest.get(path('/v1/comments', first.gid))).status).toBe(200);

    expect((await rest.delete(path('/v1/comments', first.gid), as(commenter))).status).toBe(204);
    expect((await rest.delete(path('/v1/comments', second.gid), as(author))).status).toBe(204);
    expect((await rest.get(path('/v1/comments', first.gid))).status).toBe(404);
    expect((await rest.get(path('/v1/comments', second.gid))).status).toBe(404);
  });
});

describe('follows', () => {
  it('PUT and DELETE /v1/me/following/{id} are 204 and idempotent; counts and viewer_is_following follow', async () => {
    const ada = await someone();
    const bob = await g.user();
    const target = path('/v1/me/following', bob.gid);
    const bobAsAda = () => rest.get(path('/v1/users', bob.gid), as(ada));

    for (let i = 0; i < 2; i++) expect((await rest.put(target, as(ada))).status).toBe(204);
    expect((await bobAsAda()).body.data).toMatchObject({ followers_count: 1, viewer_is_following: true });
    expect((await rest.get('/v1/me', as(ada))).body.data.following_count).toBe(1);

    for (let i = 0; i < 2; i++) expect((await rest.delete(target, as(ada))).status).toBe(204);
    expect((await bobAsAda()).body.data).toMatchObject({ followers_count: 0, viewer_is_following: false });
  });

  it('following yourself is 400 BAD_USER_INPUT', async () => {
    const ada = await someone();
    const res = await rest.put(path('/v1/me/following', ada.gid), as(ada));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('BAD_USER_INPUT');
  });

  it('following a user that does not exist is 404', async () => {
    const ada = await someone();
    const gone = await someone();
    await rest.delete(path('/v1/users', gone.gid), as(gone));
    expect((await rest.put(path('/v1/me/following', gone.gid), as(ada))).status).toBe(404);
  });
});

describe('likes', () => {
  it('PUT and DELETE /v1/me/likes/{id} are 204 and idempotent; likes_count and viewer_has_liked follow', async () => {
    const ada = await someone();
    const post = await g.post({ by: await g.user() });
    const target = path('/v1/me/likes', post.gid);
    const postAsAda = () => rest.get(path('/v1/posts', post.gid), as(ada));

    for (let i = 0; i < 2; i++) expect((await rest.put(target, as(ada))).status).toBe(204);
    expect((await postAsAda()).body.data).toMatchObject({ likes_count: 1, viewer_has_liked: true });

    for (let i = 0; i < 2; i++) expect((await rest.delete(target, as(ada))).status).toBe(204);
    expect((await postAsAda()).body.data).toMatchObject({ likes_count: 0, viewer_has_liked: false });
  });
});

describe('accounts', () => {
  it('PATCH of your own name and email answers 200 with the user, email shown', async () => {
    const ada = await someone();
    const res = await rest.patch(path('/v1/users', ada.gid), as(ada, { name: 'Countess', email: 'countess@example.com' }));
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: ada.gid, name: 'Countess', email: 'countess@example.com' });
  });

  it("PATCH of someone else's account is 403", async () => {
    const bob = await g.user({ name: 'Bob' });
    const res = await rest.patch(path('/v1/users', bob.gid), as(await someone(), { name: 'Not Bob' }));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    expect((await rest.get(path('/v1/users', bob.gid))).body.data.name).toBe('Bob');
  });

  it('PATCH to an email already registered is 409 CONFLICT', async () => {
    await g.user({ email: 'taken@example.com' });
    const ada = await someone();
    const res = await rest.patch(path('/v1/users', ada.gid), as(ada, { email: 'taken@example.com' }));
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('CONFLICT');
  });

  it('DELETE of your own account is 204; its token is then 401 and the user 404', async () => {
    const ada = await someone();
    expect((await rest.delete(path('/v1/users', ada.gid), as(ada))).status).toBe(204);
    const me = await rest.get('/v1/me', as(ada));
    expect(me.status).toBe(401);
    expect(me.headers.get('www-authenticate')).toBe('Bearer');
    expect((await rest.get(path('/v1/users', ada.gid))).status).toBe(404);
  });

  it("DELETE of someone else's account is 403", async () => {
    const bob = await g.user();
    const res = await rest.delete(path('/v1/users', bob.gid), as(await someone()));
    expect(res.status).toBe(403);
    expect((await rest.get(path('/v1/users', bob.gid))).status).toBe(200);
  });
});

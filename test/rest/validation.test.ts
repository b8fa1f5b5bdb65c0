// REST input checks: one 400 BAD_USER_INPUT lists every problem of a body, each named as the
// request body names it, and nothing is written.
import { beforeAll, describe, expect, it } from 'vitest';
import { given, type Given, type GivenUser } from '../support/given.js';
import { restClient, type RestClient } from '../support/rest-client.js';
import { signIn, type Session } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let rest: RestClient;
let g: Given;
let ada: GivenUser & { session: Session };
beforeAll(async () => {
  app = await startTestApp();
  rest = restClient(app);
  g = given(app);
  const user = await g.user();
  ada = { ...user, session: await signIn(app, user) };
});

const asAda = (json: unknown) => ({ headers: ada.session.headers, json });

/** The 400 BAD_USER_INPUT of a response, and the fields its details name, sorted. */
function problemFields(res: { status: number; body: any }): string[] {
  expect(res.status).toBe(400);
  expect(res.body.error.code).toBe('BAD_USER_INPUT');
  return res.body.error.details.map((problem: { field: string }) => problem.field).sort();
}

const postCount = async () => (await rest.get('/v1/posts', { headers: ada.session.headers })).body.data.length;

describe('one 400 lists every problem', () => {
  it('an empty title and a too-long content together, and no post is made', async () => {
    const before = await postCount();
    const res = await rest.post('/v1/posts', asAda({ title: '', content: 'x'.repeat(20_001) }));
    expect(problemFields(res)).toEqual(['content', 'title']);
    expect(res.body.error.details.find((problem: any) => problem.field === 'title').message).toMatch(/title/);
    expect(await postCount()).toBe(before);
  });

  it('a sign-up with a bad name, email and password names all three', async () => {
    const res = await rest.post('/v1/users', { json: { name: '', email: 'not-an-email', password: 'short' } });
    expect(problemFields(res)).toEqual(['email', 'name', 'password']);
  });

  it('an empty comment body is named body', async () => {
    const post = await g.post({ by: ada });
    const res = await rest.post(`/v1/posts/${encodeURIComponent(post.gid)}/comments`, asAda({ body: '   ' }));
    expect(problemFields(res)).toEqual(['body']);
  });

  it('a PATCH of a user with an empty name and a bad email names both', async () => {
    const res = await rest.patch(`/v1/users/${encodeURIComponent(ada.gid)}`, asAda({ name: '', email: 'nope' }));
    expect(problemFields(res)).toEqual(['email', 'name']);
  });
});

describe('the shape of the body', () => {
  it('an unknown field is named, and the message lists the fields the body takes', async () => {
    const res = await rest.post('/v1/posts', asAda({ title: 'Hi', content: 'There', colour: 'red' }));
    expect(problemFields(res)).toEqual(['colour']);
    expect(res.body.error.details[0].message).toBe('Unknown field: the body takes content, title.');
  });

  it('an unknown field, a wrong type and a missing field are all named at once', async () => {
    const res = await rest.post('/v1/posts', asAda({ title: 5, colour: 'red' }));
    expect(problemFields(res)).toEqual(['colour', 'content', 'title']);
  });

  it('a value of the wrong type (title: 5) is named', async () => {
    const res = await rest.post('/v1/posts', asAda({ title: 5, content: 'There' }));
    expect(problemFields(res)).toEqual(['title']);
    expect(res.body.error.details[0].message).toBe('title must be a string.');
  });

  it('missing required fields are each named', async () => {
    expect(problemFields(await rest.post('/v1/posts', asAda({})))).toEqual(['content', 'title']);
    expect(problemFields(await rest.post('/v1/sessions', { json: {} }))).toEqual(['email', 'password']);
    expect(problemFields(await rest.post('/v1/users', { json: { name: 'Ann' } }))).toEqual(['email', 'password']);
  });

  it('the post id of a comment comes from the path, not the body', async () => {
    const post = await g.post({ by: ada });
    const res = await rest.post(`/v1/posts/${encodeURIComponent(post.gid)}/comments`, asAda({ body: 'Hi', postId: post.gid }));
    expect(problemFields(res)).toEqual(['postId']);
  });

  it('a malformed path id is 400 with field id', async () => {
    const res = await rest.patch('/v1/posts/not-an-id', asAda({ title: 'x' }));
    expect(problemFields(res)).toEqual(['id']);
  });
});

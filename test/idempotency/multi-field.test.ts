// A keyed request with several mutation fields (issue 11): when one field fails, none of them
// commits, so releasing the key is true to what happened and a retry writes nothing twice.
// And a keyed mutation whose answer would be streamed, which could not be kept, is refused.
import { count, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, test } from 'vitest';
import { idempotencyKeys, posts } from '../../src/db/schema.js';
import { given, type GivenPost, type GivenUser } from '../support/given.js';
import { postRaw } from '../support/raw-post.js';
import { signIn, type Session } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let ada: GivenUser;
let adaSession: Session;
let bobsPost: GivenPost;

beforeAll(async () => {
  app = await startTestApp();
  const [first, bob] = (await given(app).users(2)) as [GivenUser, GivenUser];
  ada = first;
  adaSession = await signIn(app, ada);
  bobsPost = await given(app).post({ by: bob });
});

const CREATE_AND_DELETE = `mutation($title: String!, $id: ID!) {
  a: createPost(input: { title: $title, content: "Hello." }) { title }
  b: deletePost(id: $id)
}`;
const body = (title: string, id: string) => JSON.stringify({ query: CREATE_AND_DELETE, variables: { title, id } });
const keyed = (key: string) => ({ ...adaSession.headers, 'idempotency-key': key });
const keyRows = (key: string) => app.database.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key));

async function postsTitled(title: string): Promise<number> {
  const [row] = await app.database.db.select({ n: count() }).from(posts).where(eq(posts.title, title));
  return row!.n;
}

test('createPost and a FORBIDDEN deletePost sent 3 times with one key write no post, and the key is released', async () => {
  const forbidden = body('Sent three times', bobsPost.gid);
  for (let attempt = 1; attempt <= 3; attempt++) {
    const res = await postRaw(app, forbidden, keyed('three-times'));
    expect(res.status).toBe(200);
    expect(res.headers.get('idempotency-replay')).toBeNull();
    expect(res.json.data).toBeNull();
    expect(res.json.errors).toMatchObject([{ path: ['b'], extensions: { code: 'FORBIDDEN' } }]);
    expect(await postsTitled('Sent three times')).toBe(0);
  }
  expect(await keyRows('three-times')).toEqual([]);

  // The corrected request, under a new key: both fields commit, once, and the answer is kept.
  const own = await given(app).post({ by: ada });
  const corrected = body('Sent three times', own.gid);
  const done = await postRaw(app, corrected, keyed('corrected'));
  expect(done.status).toBe(200);
  expect(done.json.data).toEqual({ a: { title: 'Sent three times' }, b: true });
  const replay = await postRaw(app, corrected, keyed('corrected'));
  expect(replay.headers.get('idempotency-replay')).toBe('true');
  expect(replay.text).toBe(done.text);
  expect(await postsTitled('Sent three times')).toBe(1);
});

describe('a keyed mutation whose answer would be streamed', () => {
  const createPost = (title: string) =>
    JSON.stringify({ query: `mutation { createPost(input: { title: "${title}", content: "Hello." }) { id } }` });
  const send = (payload: string, key: string, accept: string) =>
    fetch(app.url, { method: 'POST', headers: { 'content-type': 'application/json', accept, ...keyed(key) }, body: payload });

  test.each(['text/event-stream', 'multipart/mixed'])('Accept: %s is 400 BAD_REQUEST, and nothing runs', async (accept) => {
    const title = `Streamed as ${accept}`;
    const res = await send(createPost(title), `streamed-${accept}`, accept);
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toContain('"BAD_REQUEST"');
    expect(text).toContain('Idempotency-Key needs an answer that can be stored and replayed');
    expect(await postsTitled(title)).toBe(0);
    expect(await keyRows(`streamed-${accept}`)).toEqual([]);
  });

  test('a client that accepts JSON as well is answered with JSON, and its answer kept', async () => {
    const res = await send(createPost('JSON as well'), 'json-as-well', 'text/event-stream, application/json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await keyRows('json-as-well')).toMatchObject([{ responseStatus: 200 }]);
  });

  test('without a key, an SSE mutation runs as before', async () => {
    const res = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...adaSession.headers },
      body: createPost('Unkeyed stream'),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('createPost');
    expect(await postsTitled('Unkeyed stream')).toBe(1);
  });
});

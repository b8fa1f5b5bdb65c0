// The claim on a key: one request runs at a time, the others are told it is in progress (409);
// a claim whose request never finished is taken over; expired keys block nothing and are purged.
import { count, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, test } from 'vitest';
import { idempotencyKeys, posts } from '../../src/db/schema.js';
import { given } from '../support/given.js';
import { postRaw, sha256 } from '../support/raw-post.js';
import { signIn, type Session } from '../support/sign-in.js';
import { lockTable } from '../support/table-lock.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const CREATE_POST = `mutation($input: CreatePostInput!) { createPost(input: $input) { id title } }`;
const createPostBody = (title: string) => JSON.stringify({ query: CREATE_POST, variables: { input: { title, content: 'Hello.' } } });

let app: TestApp;
let ada: Session & { scope: string };
beforeAll(async () => {
  app = await startTestApp();
  const user = await given(app).user({ name: 'Ada' });
  ada = { ...(await signIn(app, user)), scope: `user:${user.id}` };
});

const keyed = (key: string) => ({ ...ada.headers, 'idempotency-key': key });
const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000);

async function postsTitled(target: TestApp, title: string): Promise<number> {
  const [row] = await target.database.db.select({ n: count() }).from(posts).where(eq(posts.title, title));
  return row!.n;
}

/** A claim as another request (or another process) left it: real rows, written beside the server. */
async function insertKey(
  target: TestApp,
  row: { scope?: string; key: string; body: string; leaseSeconds: number; ttlSeconds?: number; response?: string },
) {
  await target.database.db.insert(idempotencyKeys).values({
    scope: row.scope ?? ada.scope,
    key: row.key,
    requestHash: sha256(row.body),
    responseStatus: row.response === undefined ? null : 200,
    responseBody: row.response ?? null,
    leaseExpiresAt: inSeconds(row.leaseSeconds),
    expiresAt: inSeconds(row.ttlSeconds ?? 3600),
  });
}

const keyRows = (key: string) => app.database.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key));

test('a key whose first request is still running is IDEMPOTENCY_KEY_IN_PROGRESS (409), and nothing runs', async () => {
  const body = createPostBody('Still running');
  await insertKey(app, { key: 'running', body, leaseSeconds: 60 });
  const res = await postRaw(app, body, keyed('running'));
  expect(res.status).toBe(409);
  expect(res.json.errors).toMatchObject([{ extensions: { code: 'IDEMPOTENCY_KEY_IN_PROGRESS' } }]);
  expect(await postsTitled(app, 'Still running')).toBe(0);
  expect(await keyRows('running')).toMatchObject([{ responseStatus: null }]);
});

test.skipIf(!process.env.DATABASE_URL)(
  'on Postgres, a request held up by a lock keeps its key: the same request meanwhile is 409',
  async () => {
    if (app.database.driver !== 'pg') throw new Error('expected a Postgres test app');
    const body = createPostBody('Held up');
    const lock = await lockTable(String(app.database.pool.options.connectionString), 'posts');
    try {
      const first = postRaw(app, body, keyed('held-up'));
      await lock.waiters(1);
      const meanwhile = await postRaw(app, body, keyed('held-up'));
      expect(meanwhile.status).toBe(409);
      expect(meanwhile.json.errors).toMatchObject([{ extensions: { code: 'IDEMPOTENCY_KEY_IN_PROGRESS' } }]);
      await lock.release();
      const done = await first;
      expect(done.status).toBe(200);
      const after = await postRaw(app, body, keyed('held-up'));
      expect(after.text).toBe(done.text);
      expect(after.headers.get('idempotency-replay')).toBe('true');
    } finally {
      await lock.release();
    }
    expect(await postsTitled(app, 'Held up')).toBe(1);
  },
);

describe('a claim whose lease ran out (its request never finished) is taken over', () => {
  test('with the same body: the request runs, once, and its response is kept', async () => {
    const body = createPostBody('Taken over');
    await insertKey(app, { key: 'lapsed', body, leaseSeconds: -1 });
    const res = await postRaw(app, body, keyed('lapsed'));
    expect(res.status).toBe(200);
    expect(res.headers.get('idempotency-replay')).toBeNull();
    expect(res.json.data.createPost.title).toBe('Taken over');
    expect(await keyRows('lapsed')).toMatchObject([{ responseStatus: 200, responseBody: res.text }]);
    const again = await postRaw(app, body, keyed('lapsed'));
    expect(again.text).toBe(res.text);
    expect(await postsTitled(app, 'Taken over')).toBe(1);
  });

  test('with another body: the key was released, so it is free for any request', async () => {
    await insertKey(app, { key: 'lapsed-other', body: createPostBody('Never finished'), leaseSeconds: -1 });
    const res = await postRaw(app, createPostBody('Took its place'), keyed('lapsed-other'));
    expect(res.status).toBe(200);
    expect(res.json.data.createPost.title).toBe('Took its place');
  });
});

test('an expired key blocks nothing, even with a stored response', async () => {
  const body = createPostBody('After expiry');
  await insertKey(app, { key: 'expired', body, leaseSeconds: -3600, ttlSeconds: -1, response: '{"data":{"stale":true}}' });
  const res = await postRaw(app, body, keyed('expired'));
  expect(res.headers.get('idempotency-replay')).toBeNull();
  expect(res.json.data.createPost.title).toBe('After expiry');
  expect(await postsTitled(app, 'After expiry')).toBe(1);
});

test('expired keys are purged when a key is claimed', async () => {
  const fresh = await startTestApp(); // purges at most once a minute per process: a process of its own
  const user = await given(fresh).user();
  const session = await signIn(fresh, user);
  await insertKey(fresh, { scope: 'user:1000', key: 'old-1', body: '{}', leaseSeconds: -7200, ttlSeconds: -1, response: '{}' });
  await insertKey(fresh, { scope: 'address:192.0.2.1', key: 'old-2', body: '{}', leaseSeconds: -7200, ttlSeconds: -3600 });
  await insertKey(fresh, { scope: 'user:1000', key: 'live', body: '{}', leaseSeconds: -7200, ttlSeconds: 3600, response: '{}' });
  const res = await postRaw(fresh, createPostBody('Purging'), { ...session.headers, 'idempotency-key': 'purging' });
  expect(res.status).toBe(200);
  const left = await fresh.database.db.select({ key: idempotencyKeys.key }).from(idempotencyKeys);
  expect(left.map((row) => row.key).sort()).toEqual(['live', 'purging']);
});

test('20 identical keyed createPost requests at once make exactly one post; each answer is that post or 409', async () => {
  const body = createPostBody('Twenty at once');
  const responses = await Promise.all(Array.from({ length: 20 }, () => postRaw(app, body, keyed('twenty'))));
  expect(await postsTitled(app, 'Twenty at once')).toBe(1);
  const [row] = await keyRows('twenty');
  expect(row).toMatchObject({ responseStatus: 200 });
  for (const res of responses) {
    if (res.status === 409) expect(res.json.errors).toMatchObject([{ extensions: { code: 'IDEMPOTENCY_KEY_IN_PROGRESS' } }]);
    else expect({ status: res.status, text: res.text }).toEqual({ status: 200, text: row!.responseBody });
  }
  expect(responses.filter((res) => res.status === 200 && res.headers.get('idempotency-replay') === null)).toHaveLength(1);
});

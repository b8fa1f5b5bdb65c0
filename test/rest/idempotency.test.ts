// Idempotency-Key on REST writes: a replay answers as the first request did and writes nothing;
// another body with the key is 422; the key while its first request runs is 409.
import { count, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { idempotencyKeys, posts } from '../../src/db/schema.js';
import { given, type GivenUser } from '../support/given.js';
import { restClient, type RestClient } from '../support/rest-client.js';
import { signIn, type Session } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let rest: RestClient;
let ada: GivenUser;
let session: Session;
beforeAll(async () => {
  app = await startTestApp();
  rest = restClient(app);
  ada = await given(app).user();
  session = await signIn(app, ada);
});

const keyed = (key: string, json: unknown) => ({ headers: { ...session.headers, 'idempotency-key': key }, json });

async function postsTitled(title: string): Promise<number> {
  const [row] = await app.database.db.select({ n: count() }).from(posts).where(eq(posts.title, title));
  return row!.n;
}

describe('POST /v1/posts with an Idempotency-Key', () => {
  it('replayed: the same post, 201 and Location again, Idempotency-Replay: true, one post made', async () => {
    const body = { title: 'Once only', content: 'Hello.' };
    const first = await rest.post('/v1/posts', keyed('once', body));
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotency-replay')).toBeNull();
    const again = await rest.post('/v1/posts', keyed('once', body));
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotency-replay')).toBe('true');
    expect(again.body.data).toEqual(first.body.data);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(await postsTitled('Once only')).toBe(1);
  });

  it('another body with the same key is 422 IDEMPOTENCY_KEY_REUSED, and nothing is written', async () => {
    expect((await rest.post('/v1/posts', keyed('reused', { title: 'First', content: 'Hello.' }))).status).toBe(201);
    const res = await rest.post('/v1/posts', keyed('reused', { title: 'Second', content: 'Hello.' }));
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await postsTitled('Second')).toBe(0);
  });

  it('the key while its first request still runs is 409 IDEMPOTENCY_KEY_IN_PROGRESS, and nothing runs', async () => {
    const body = { title: 'Still running', content: 'Hello.' };
    // The claim a running request holds, made from a finished one's: the same request hash, no response yet.
    await rest.post('/v1/posts', keyed('finished', body));
    const [finished] = await app.database.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, 'finished'));
    await app.database.db.insert(idempotencyKeys).values({
      ...finished!,
      key: 'running',
      responseStatus: null,
      responseBody: null,
      leaseExpiresAt: new Date(Date.now() + 60_000),
    });
    const res = await rest.post('/v1/posts', keyed('running', body));
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('IDEMPOTENCY_KEY_IN_PROGRESS');
    expect(await postsTitled('Still running')).toBe(1);
  });

  it('the key is the caller’s: another user with the same key and body makes their own post', async () => {
    const body = { title: 'Two authors', content: 'Hello.' };
    await rest.post('/v1/posts', keyed('shared', body));
    const bob = await signIn(app, await given(app).user());
    const res = await rest.post('/v1/posts', { headers: { ...bob.headers, 'idempotency-key': 'shared' }, json: body });
    expect(res.status).toBe(201);
    expect(res.headers.get('idempotency-replay')).toBeNull();
    expect(await postsTitled('Two authors')).toBe(2);
  });
});

describe('other writes', () => {
  it('a replayed DELETE answers 204 again and is marked as a replay', async () => {
    const post = await given(app).post({ by: ada });
    const remove = () =>
      rest.delete(`/v1/posts/${encodeURIComponent(post.gid)}`, { headers: { ...session.headers, 'idempotency-key': 'bye' } });
    expect((await remove()).status).toBe(204);
    const again = await remove();
    expect(again.status).toBe(204);
    expect(again.headers.get('idempotency-replay')).toBe('true');
  });

  it('a replayed PATCH answers with the first answer', async () => {
    const post = await given(app).post({ by: ada, title: 'Draft' });
    const url = `/v1/posts/${encodeURIComponent(post.gid)}`;
    const first = await rest.patch(url, keyed('edit', { title: 'Final' }));
    expect(first.status).toBe(200);
    const again = await rest.patch(url, keyed('edit', { title: 'Final' }));
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotency-replay')).toBe('true');
    expect(again.body.data).toEqual(first.body.data);
  });
});

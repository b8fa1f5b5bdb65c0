// The race every invalidating cache has (src/cache/store.ts): a read that began before a write
// committed, and finishes after the write dropped what it changed, must not put its old answer
// back. A lock on `follows` holds the read after it has read the post's title and before its
// author's followersCount (a statement of its own), while updatePost commits; then the read
// finishes, with the old title.
//
// Postgres only: the lock is held from a connection of the test's own (test/support/table-lock.ts);
// PGlite has one connection, the server's, which runs one statement at a time, so no read can be
// held half-way while a mutation commits.
import { describe, expect, test } from 'vitest';
import { CACHE_STORES } from '../support/cached.js';
import { given } from '../support/given.js';
import { signIn } from '../support/sign-in.js';
import { lockTable } from '../support/table-lock.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const POST = 'query($id: ID!, $authorId: ID!) { post(id: $id) { title } user(id: $authorId) { followersCount } }';
const UPDATE = 'mutation($id: ID!) { updatePost(id: $id, input: { title: "New" }) { id } }';

/** Reads until an answer comes from the cache (a save takes a moment to land), then that answer's title. */
async function cachedTitle(app: TestApp, variables: { id: string; authorId: string }): Promise<string> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const res = await app.query(POST, variables);
    if (res.headers.get('x-cache') === 'HIT') return res.data.post.title;
    if (Date.now() > deadline) throw new Error(`${POST} never came from the cache`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.skipIf(!process.env.DATABASE_URL).each(CACHE_STORES)('cached $store', ({ env }) => {
  test('a read that began before a mutation does not save its old answer after it', async () => {
    const app = await startTestApp({ env: { ...env(), RESPONSE_CACHE_TTL_MS: '60000' } });
    const [ada] = await given(app).users(1);
    const post = await given(app).post({ by: ada!, title: 'Old' });
    const asAda = await signIn(app, ada!);
    if (app.database.driver !== 'pg') throw new Error('expected Postgres');

    const variables = { id: post.gid, authorId: ada!.gid };
    const lock = await lockTable(String(app.database.pool.options.connectionString), 'follows');
    const slowRead = app.query(POST, variables);
    await lock.waiters(1);
    const written = await app.query(UPDATE, { id: post.gid }, asAda);
    expect(written.errors).toBeUndefined();
    await lock.release();
    // It began before the write: the old title is a fair answer for it, but not one to keep.
    expect((await slowRead).data).toEqual({ post: { title: 'Old' }, user: { followersCount: 0 } });

    expect(await cachedTitle(app, variables)).toBe('New');
    expect((await app.query(POST, variables)).data.post.title).toBe('New');
  });
});

// Writes that race an account deletion get a contract error, never INTERNAL_SERVER_ERROR.
// Postgres only: a table lock held by the test makes the race happen on cue.
import { afterEach, expect, test } from 'vitest';
import { posts } from '../../src/db/schema.js';
import { given } from '../support/given.js';
import { errorOf, signIn } from '../support/sign-in.js';
import { lockTable, type TableLock } from '../support/table-lock.js';
import { startTestApp } from '../support/test-app.js';

let lock: TableLock | undefined;
afterEach(() => lock?.release());

test.skipIf(!process.env.DATABASE_URL)('a post written while its author deletes their account is UNAUTHENTICATED', async () => {
  const app = await startTestApp();
  const author = await given(app).user();
  const session = await signIn(app, author);
  const databaseUrl = app.database.driver === 'pg' ? app.database.pool.options.connectionString! : '';

  lock = await lockTable(databaseUrl, 'posts');
  const writing = app.query(`mutation { createPost(input: { title: "Late", content: "Too late." }) { id } }`, undefined, session);
  await lock.waiters(1); // the insert waits behind the lock, its author checked and still there
  await lock.commitAfter('delete from users where id = $1', [author.id]);

  const res = await writing;
  expect(errorOf(res)).toMatchObject({ code: 'UNAUTHENTICATED' });
  expect(await app.database.db.$count(posts)).toBe(0);
});

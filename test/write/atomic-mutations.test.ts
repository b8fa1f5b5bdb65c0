// Several mutation fields in one request commit together or not at all (issue 11), and their
// subscription events are published once, after the commit, never for a rolled-back write.
import { count, eq, inArray } from 'drizzle-orm';
import { beforeAll, describe, expect, test } from 'vitest';
import { posts, users } from '../../src/db/schema.js';
import { given, type GivenPost, type GivenUser } from '../support/given.js';
import { errorOf, signIn, type Session } from '../support/sign-in.js';
import { lockTable, type TableLock } from '../support/table-lock.js';
import { terminateBackends } from '../support/terminate-backends.js';
import { startTestApp, type GraphQLResponse, type TestApp } from '../support/test-app.js';
import { connectWs, untilLive, type Result } from '../support/ws-client.js';

let app: TestApp;
let ada: GivenUser;
let bob: GivenUser;
let adaSession: Session;
let bobsPost: GivenPost;

beforeAll(async () => {
  app = await startTestApp();
  [ada, bob] = (await given(app).users(2)) as [GivenUser, GivenUser];
  adaSession = await signIn(app, ada);
  bobsPost = await given(app).post({ by: bob, title: "Bob's post" });
});

const CREATE_POST = `mutation($input: CreatePostInput!) { createPost(input: $input) { id title } }`;
const CREATE_AND_DELETE = `mutation($title: String!, $id: ID!) {
  a: createPost(input: { title: $title, content: "Hello." }) { id title }
  b: deletePost(id: $id)
}`;
const CREATE_TWO = `mutation($first: String!, $second: String!) {
  a: createPost(input: { title: $first, content: "Hello." }) { id title }
  b: createPost(input: { title: $second, content: "Hello." }) { id title }
}`;

async function postsTitled(...titles: string[]): Promise<number> {
  const [row] = await app.database.db.select({ n: count() }).from(posts).where(inArray(posts.title, titles));
  return row!.n;
}

describe('a request with several mutation fields', () => {
  test('both commit when both succeed', async () => {
    const res = await app.query(CREATE_TWO, { first: 'Both one', second: 'Both two' }, adaSession);
    expect(res.errors).toBeUndefined();
    expect(res.data).toMatchObject({ a: { title: 'Both one' }, b: { title: 'Both two' } });
    expect(await postsTitled('Both one', 'Both two')).toBe(2);
  });

  test('FORBIDDEN in the second field rolls back the first: data is null, nothing is written', async () => {
    const res = await app.query(CREATE_AND_DELETE, { title: 'Rolled back', id: bobsPost.gid }, adaSession);
    expect(res.status).toBe(200);
    expect(res.body.data).toBeNull();
    expect(errorOf(res)).toMatchObject({ code: 'FORBIDDEN' });
    expect(res.errors![0]!.path).toEqual(['b']);
    expect(await postsTitled('Rolled back')).toBe(0);
    expect(await postsTitled("Bob's post")).toBe(1);
  });

  test('NOT_FOUND and BAD_USER_INPUT in the second field roll back the first too', async () => {
    const missing = Buffer.from('Post:999999').toString('base64');
    const notFound = await app.query(CREATE_AND_DELETE, { title: 'Not found after', id: missing }, adaSession);
    expect(notFound.body.data).toBeNull();
    expect(errorOf(notFound).code).toBe('NOT_FOUND');
    const badInput = await app.query(CREATE_TWO, { first: 'Bad input after', second: '' }, adaSession);
    expect(badInput.body.data).toBeNull();
    expect(errorOf(badInput)).toMatchObject({ code: 'BAD_USER_INPUT', details: [{ field: 'input.title' }] });
    expect(await postsTitled('Not found after', 'Bad input after')).toBe(0);
  });

  test("later fields read the earlier fields' writes, inside the transaction", async () => {
    const post = await given(app).post({ by: bob });
    const res = await app.query(
      `mutation($id: ID!) { a: likePost(postId: $id) { likesCount viewerHasLiked } b: unlikePost(postId: $id) { likesCount viewerHasLiked } }`,
      { id: post.gid },
      adaSession,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ a: { likesCount: 1, viewerHasLiked: true }, b: { likesCount: 0, viewerHasLiked: false } });
  });

  test('createUser is rolled back with the rest: no account, no token', async () => {
    const email = 'atomic-signup@example.com';
    const res = await app.query(
      `mutation($email: String!) {
        a: createUser(input: { name: "Atomic", email: $email, password: "long enough" }) { token }
        b: createPost(input: { title: "", content: "Hello." }) { id }
      }`,
      { email },
    );
    expect(res.body.data).toBeNull();
    expect(errorOf(res).code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(res.body)).not.toMatch(/token/);
    expect(await app.database.db.select().from(users).where(eq(users.email, email))).toEqual([]);
  });
});

describe('a single mutation field, as before', () => {
  test('commits, and costs the same statements', async () => {
    const res = await app.query(CREATE_POST, { input: { title: 'Single', content: 'Hello.' } }, adaSession);
    expect(res.errors).toBeUndefined();
    expect(res.data.createPost.title).toBe('Single');
    // the viewer (token check), then the insert: BEGIN and COMMIT pass drizzle's logger on pg only
    expect(res.statements).toBe(app.database.driver === 'pg' ? 4 : 2);
  });

  test('a FORBIDDEN one is answered as before: its error, data null (the field is non-null)', async () => {
    const res = await app.query(`mutation($id: ID!) { deletePost(id: $id) }`, { id: bobsPost.gid }, adaSession);
    expect(res.status).toBe(200);
    expect(errorOf(res)).toMatchObject({ code: 'FORBIDDEN', message: 'Only its author can delete this post.' });
    expect(res.body.data).toBeNull();
    expect(await postsTitled("Bob's post")).toBe(1);
  });
});

describe('subscription events', () => {
  const POST_CREATED = `subscription { postCreated { title } }`;
  const isProbe = (result: Result) => (result.data?.postCreated?.title ?? '').startsWith('probe');
  const titles = (results: Result[]) => results.map((result) => result.data?.postCreated?.title as string);
  const createPost = (title: string) => app.query(CREATE_POST, { input: { title, content: 'Hello.' } }, adaSession);

  test('both fields committed: each event is published once, after the commit', async () => {
    const sub = connectWs(app.url).subscribe(POST_CREATED);
    await untilLive(sub, (n) => createPost(`probe ${n}`), isProbe);
    const after = sub.results.length;
    expect((await app.query(CREATE_TWO, { first: 'Event one', second: 'Event two' }, adaSession)).errors).toBeUndefined();
    await createPost('Marker after both');
    await sub.waitFor((result) => result.data?.postCreated?.title === 'Marker after both', { after });
    // Each event's post is read by the event's own loaders, outside the request's transaction:
    // its title came through, so the post was committed by the time the event went out.
    expect(titles(sub.results.slice(after)).filter((title) => !title.startsWith('probe'))).toEqual([
      'Event one',
      'Event two',
      'Marker after both',
    ]);
  });

  test('the second field failed: no event for the first', async () => {
    const sub = connectWs(app.url).subscribe(POST_CREATED);
    await untilLive(sub, (n) => createPost(`probe ${n}`), isProbe);
    const after = sub.results.length;
    const res = await app.query(CREATE_AND_DELETE, { title: 'Never published', id: bobsPost.gid }, adaSession);
    expect(errorOf(res).code).toBe('FORBIDDEN');
    await createPost('Marker after rollback');
    await sub.waitFor((result) => result.data?.postCreated?.title === 'Marker after rollback', { after });
    // Events reach a subscriber in publishing order: one for the rolled-back post would come first.
    expect(titles(sub.results.slice(after)).filter((title) => !title.startsWith('probe'))).toEqual(['Marker after rollback']);
  });
});

describe.skipIf(!process.env.DATABASE_URL)('on Postgres, a database failure in the second field', () => {
  const CREATE_AND_COMMENT = `mutation($id: ID!) {
    a: createPost(input: { title: "Before the failure", content: "Hello." }) { id }
    b: createComment(input: { postId: $id, body: "Waits for the lock" }) { id }
  }`;
  type Scene = { target: TestApp; session: Session; lock: TableLock; url: string; send: () => Promise<GraphQLResponse> };

  /** A fresh app (a pool of its own) with a post to comment on; comments are locked while `run` runs. */
  async function withCommentsLocked(env: Record<string, string>, run: (scene: Scene) => Promise<void>): Promise<void> {
    const target = await startTestApp({ env });
    if (target.database.driver !== 'pg') throw new Error('expected a Postgres test app');
    const user = await given(target).user();
    const post = await given(target).post({ by: user });
    const session = await signIn(target, user);
    const url = String(target.database.pool.options.connectionString);
    const lock = await lockTable(url, 'comments');
    try {
      await run({ target, session, lock, url, send: () => target.query(CREATE_AND_COMMENT, { id: post.gid }, session) });
    } finally {
      await lock.release();
    }
    const [row] = await target.database.db.select({ n: count() }).from(posts).where(eq(posts.title, 'Before the failure'));
    expect(row!.n).toBe(0);
  }

  test('a statement timeout is 503 and rolls back the first', () =>
    withCommentsLocked({ DATABASE_STATEMENT_TIMEOUT_MS: '300' }, async ({ send }) => {
      const res = await send();
      expect(res.status).toBe(503);
      expect(res.body.data).toBeNull();
      expect(errorOf(res).code).toBe('SERVICE_UNAVAILABLE');
    }));

  test('a connection killed inside the transaction (its ROLLBACK fails too) is 503, and the next write succeeds', () =>
    withCommentsLocked({}, async ({ target, session, lock, url, send }) => {
      const answer = send();
      await lock.waiters(1);
      expect(await terminateBackends(url, { isWaitingForLock: true })).toBe(1);
      const res = await answer;
      expect(res.status).toBe(503);
      expect(errorOf(res).code).toBe('SERVICE_UNAVAILABLE');
      const next = await target.query(CREATE_POST, { input: { title: 'After the kill', content: 'Hello.' } }, session);
      expect(next.errors).toBeUndefined();
    }));
});

// Idempotency-Key on mutations: a retry with the same key and body gets the first response back,
// byte for byte, and the mutation does not run again; keys belong to one identity.
import { count, eq } from 'drizzle-orm';
import { request } from 'node:http';
import { beforeAll, describe, expect, test } from 'vitest';
import { idempotencyKeys, posts, users } from '../../src/db/schema.js';
import { given } from '../support/given.js';
import { postRaw, sha256 } from '../support/raw-post.js';
import { signIn, type Session } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const CREATE_POST = `mutation($input: CreatePostInput!) { createPost(input: $input) { id title } }`;
const createPostBody = (title: string, content = 'Hello.') =>
  JSON.stringify({ query: CREATE_POST, variables: { input: { title, content } } });

let app: TestApp;
let ada: Session & { id: number };
let bob: Session & { id: number };
beforeAll(async () => {
  app = await startTestApp();
  const g = given(app);
  const [adaRow, bobRow] = [await g.user({ name: 'Ada' }), await g.user({ name: 'Bob' })];
  ada = { ...(await signIn(app, adaRow)), id: adaRow.id };
  bob = { ...(await signIn(app, bobRow)), id: bobRow.id };
});

const keyed = (session: Session | null, key: string, extra: Record<string, string> = {}) => ({
  ...session?.headers,
  'idempotency-key': key,
  ...extra,
});

async function postsTitled(title: string): Promise<number> {
  const [row] = await app.database.db.select({ n: count() }).from(posts).where(eq(posts.title, title));
  return row!.n;
}

/** fetch joins repeated headers into one; node:http sends each value on its own line, as some clients do. */
function postWithRepeatedHeader(url: URL, body: string, headers: Record<string, string>, [name, values]: [string, string[]]) {
  return new Promise<{ status: number; json: any }>((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { ...headers, [name]: values } }, (res) => {
      let text = '';
      res
        .setEncoding('utf8')
        .on('data', (chunk: string) => (text += chunk))
        .on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(text) }));
    });
    req.on('error', reject).end(body);
  });
}

async function keyRows(key: string) {
  return app.database.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key));
}

describe('the same key and the same body', () => {
  test('replay the first status and body byte for byte, with Idempotency-Replay, and post once', async () => {
    const body = createPostBody('Posted once');
    const first = await postRaw(app, body, keyed(ada, 'same-body'));
    expect(first.status).toBe(200);
    expect(first.json.data.createPost.title).toBe('Posted once');
    expect(first.headers.get('idempotency-replay')).toBeNull();

    const before = app.database.statementCount;
    const second = await postRaw(app, body, keyed(ada, 'same-body'));
    expect(second.status).toBe(200);
    expect(second.text).toBe(first.text);
    expect(second.headers.get('idempotency-replay')).toBe('true');
    // The token's revocation check, then one look at the key: no resolver ran.
    expect(app.database.statementCount - before).toBe(3);
    expect(await postsTitled('Posted once')).toBe(1);
  });

  test('a replay still carries X-Request-ID and the CORS headers', async () => {
    const body = createPostBody('Replayed with headers');
    await postRaw(app, body, keyed(ada, 'with-headers'));
    const replay = await postRaw(app, body, keyed(ada, 'with-headers', { 'x-request-id': 'retry-1', origin: 'https://app.example' }));
    expect(replay.headers.get('idempotency-replay')).toBe('true');
    expect(replay.headers.get('x-request-id')).toBe('retry-1');
    expect(replay.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(replay.headers.get('access-control-expose-headers')).toContain('Idempotency-Replay');
    expect(replay.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
  });
});

test('the same key with another body is IDEMPOTENCY_KEY_REUSED (422), and nothing runs', async () => {
  await postRaw(app, createPostBody('First body'), keyed(ada, 'reused'));
  const other = await postRaw(app, createPostBody('Second body'), keyed(ada, 'reused'));
  expect(other.status).toBe(422);
  expect(other.json.errors).toMatchObject([{ extensions: { code: 'IDEMPOTENCY_KEY_REUSED' } }]);
  expect(other.headers.get('idempotency-replay')).toBeNull();
  expect(await postsTitled('Second body')).toBe(0);
});

test('a body that differs only in whitespace is another body (422)', async () => {
  const body = createPostBody('Spacing');
  await postRaw(app, body, keyed(ada, 'spacing'));
  const spaced = await postRaw(app, `${body} `, keyed(ada, 'spacing'));
  expect(spaced.status).toBe(422);
});

test('keys are scoped per user: two users may use the same key', async () => {
  const body = createPostBody('Same key, two authors');
  const byAda = await postRaw(app, body, keyed(ada, 'shared-key'));
  const byBob = await postRaw(app, body, keyed(bob, 'shared-key'));
  expect(byBob.status).toBe(200);
  expect(byBob.headers.get('idempotency-replay')).toBeNull();
  expect(byBob.json.data.createPost.id).not.toBe(byAda.json.data.createPost.id);
  expect(await postsTitled('Same key, two authors')).toBe(2);
  expect((await keyRows('shared-key')).map((row) => row.scope).sort()).toEqual([`user:${ada.id}`, `user:${bob.id}`]);
});

describe('anonymous callers', () => {
  test("a key is scoped by the client's address", async () => {
    const body = createPostBody('Anonymous');
    const stored = '{"data":{"stored":"for this address"}}';
    await app.database.db.insert(idempotencyKeys).values({
      scope: 'address:127.0.0.1',
      key: 'anonymous-key',
      requestHash: sha256(body),
      responseStatus: 200,
      responseBody: stored,
      leaseExpiresAt: new Date(Date.now() + 60_000),
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    const anonymous = await postRaw(app, body, keyed(null, 'anonymous-key'));
    expect(anonymous.text).toBe(stored);
    expect(anonymous.headers.get('idempotency-replay')).toBe('true');

    const signedIn = await postRaw(app, body, keyed(ada, 'anonymous-key'));
    expect(signedIn.headers.get('idempotency-replay')).toBeNull();
    expect(signedIn.json.data.createPost.title).toBe('Anonymous');
  });

  test('a refused anonymous mutation releases its key', async () => {
    const res = await postRaw(app, createPostBody('Nobody'), keyed(null, 'anonymous-refused'));
    expect(res.json.errors).toMatchObject([{ extensions: { code: 'UNAUTHENTICATED' } }]);
    expect(await keyRows('anonymous-refused')).toEqual([]);
  });
});

describe('a failed attempt releases the key', () => {
  test('a mutation that returns errors keeps nothing, and the retry runs', async () => {
    const taken = 'taken@example.com';
    const holder = await given(app).user({ email: taken });
    const body = JSON.stringify({
      query: `mutation($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { email } }`,
      variables: { id: (await app.query(`{ viewer { id } }`, undefined, ada)).data.viewer.id, input: { email: taken } },
    });
    const failed = await postRaw(app, body, keyed(ada, 'retry-after-conflict'));
    expect(failed.json.errors).toMatchObject([{ extensions: { code: 'CONFLICT' } }]);
    expect(await keyRows('retry-after-conflict')).toEqual([]);

    // The email becomes free: the same request may now succeed.
    await app.database.db.delete(users).where(eq(users.id, holder.id));
    const retried = await postRaw(app, body, keyed(ada, 'retry-after-conflict'));
    expect(retried.status).toBe(200);
    expect(retried.headers.get('idempotency-replay')).toBeNull();
    expect(retried.json.data.updateUser.email).toBe(taken);
    expect(await keyRows('retry-after-conflict')).toMatchObject([{ responseStatus: 200, responseBody: retried.text }]);
  });

  test('invalid input keeps nothing', async () => {
    const res = await postRaw(app, createPostBody(''), keyed(ada, 'invalid-input'));
    expect(res.json.errors).toMatchObject([{ extensions: { code: 'BAD_USER_INPUT' } }]);
    expect(await keyRows('invalid-input')).toEqual([]);
  });
});

describe('createUser and logIn ignore the key: their token is never stored', () => {
  const SIGN_UP = `mutation($input: CreateUserInput!) { createUser(input: $input) { token } }`;

  test('a second identical createUser with the same key is CONFLICT, not a replayed token', async () => {
    const body = JSON.stringify({ query: SIGN_UP, variables: { input: { name: 'Cy', email: 'cy@example.com', password: 'long enough' } } });
    const first = await postRaw(app, body, keyed(null, 'sign-up'));
    expect(first.json.data.createUser.token).toEqual(expect.any(String));
    const second = await postRaw(app, body, keyed(null, 'sign-up'));
    expect(second.headers.get('idempotency-replay')).toBeNull();
    expect(second.json.errors).toMatchObject([{ extensions: { code: 'CONFLICT' } }]);
    expect(await keyRows('sign-up')).toEqual([]);
  });

  test('logIn with a key is answered afresh and kept nowhere', async () => {
    const body = JSON.stringify({
      query: `mutation($input: LogInInput!) { logIn(input: $input) { token } }`,
      variables: { input: { email: 'cy@example.com', password: 'long enough' } },
    });
    for (let i = 0; i < 2; i++) {
      const res = await postRaw(app, body, keyed(null, 'log-in'));
      expect(res.json.data.logIn.token).toEqual(expect.any(String));
      expect(res.headers.get('idempotency-replay')).toBeNull();
    }
    expect(await keyRows('log-in')).toEqual([]);
  });

  test('with another mutation in the same document and a key, the request is BAD_REQUEST', async () => {
    const body = JSON.stringify({
      query: `mutation { logIn(input: { email: "cy@example.com", password: "long enough" }) { token } createPost(input: { title: "Mixed", content: "x" }) { id } }`,
    });
    const res = await postRaw(app, body, keyed(ada, 'mixed'));
    expect(res.status).toBe(400);
    expect(res.json.errors).toMatchObject([{ extensions: { code: 'BAD_REQUEST' } }]);
    expect(await postsTitled('Mixed')).toBe(0);
  });
});

describe('a malformed key is BAD_REQUEST (400), and nothing runs', () => {
  test.each([
    ['empty', ''],
    ['256 characters', 'k'.repeat(256)],
    ['not ASCII', 'caf\u00e9'],
    ['a control character', 'a\tb'],
  ])('%s', async (_name, key) => {
    const res = await postRaw(app, createPostBody(`Malformed ${key.length}`), keyed(ada, key));
    expect(res.status).toBe(400);
    expect(res.json.errors).toMatchObject([{ extensions: { code: 'BAD_REQUEST' }, message: expect.stringContaining('Idempotency-Key') }]);
    expect(await postsTitled(`Malformed ${key.length}`)).toBe(0);
  });

  test('two Idempotency-Key headers are refused, not joined into one key', async () => {
    const res = await postWithRepeatedHeader(app.url, createPostBody('Two keys'), { ...ada.headers, 'content-type': 'application/json' }, [
      'idempotency-key',
      ['one', 'two'],
    ]);
    expect(res.status).toBe(400);
    expect(res.json.errors).toMatchObject([
      { extensions: { code: 'BAD_REQUEST' }, message: 'Send one Idempotency-Key header: this request has 2.' },
    ]);
    expect(await postsTitled('Two keys')).toBe(0);
    expect(await keyRows('one, two')).toEqual([]);
  });

  test('255 printable characters are a key', async () => {
    const key = ' !~'.repeat(85).trim().padEnd(255, 'z');
    const res = await postRaw(app, createPostBody('Longest key'), keyed(ada, key));
    expect(res.status).toBe(200);
    expect(await keyRows(key)).toHaveLength(1);
  });
});

describe('queries ignore the header entirely', () => {
  test.each([
    ['a key', 'query-key'],
    ['a malformed key', ''],
  ])('with %s', async (_name, key) => {
    const body = JSON.stringify({ query: `{ posts(first: 1) { edges { node { id } } } }` });
    for (let i = 0; i < 2; i++) {
      const res = await postRaw(app, body, keyed(ada, key));
      expect(res.status).toBe(200);
      expect(res.json.errors).toBeUndefined();
      expect(res.headers.get('idempotency-replay')).toBeNull();
    }
    expect(await keyRows(key)).toEqual([]);
  });
});

describe('a request refused before execution touches no key', () => {
  test('a document that does not parse sends no SQL', async () => {
    const before = app.database.statementCount;
    const res = await postRaw(app, JSON.stringify({ query: 'mutation {' }), keyed(ada, 'unparsed'));
    expect(res.status).toBe(400);
    expect(app.database.statementCount - before).toBe(0);
  });

  test('a document that does not validate sends no SQL', async () => {
    const before = app.database.statementCount;
    const res = await postRaw(app, JSON.stringify({ query: 'mutation { noSuchMutation }' }), keyed(ada, 'invalid-document'));
    expect(res.json.errors).toMatchObject([{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }]);
    expect(app.database.statementCount - before).toBe(0);
  });

  test('an invalid token is UNAUTHENTICATED with no SQL', async () => {
    const before = app.database.statementCount;
    const res = await postRaw(
      app,
      createPostBody('Bad token'),
      keyed({ token: '', headers: { authorization: 'Bearer not.a.token' } }, 'bad-token'),
    );
    expect(res.json.errors).toMatchObject([{ extensions: { code: 'UNAUTHENTICATED' } }]);
    expect(app.database.statementCount - before).toBe(0);
  });

  test('a revoked token is UNAUTHENTICATED after the revocation check alone', async () => {
    const carl = await signIn(app, await given(app).user({ name: 'Carl' }));
    await app.query(`mutation { logOut }`, undefined, carl);
    const before = app.database.statementCount;
    const res = await postRaw(app, createPostBody('Revoked'), keyed(carl, 'revoked'));
    expect(res.json.errors).toMatchObject([{ extensions: { code: 'UNAUTHENTICATED' } }]);
    expect(app.database.statementCount - before).toBe(1);
    expect(await keyRows('revoked')).toEqual([]);
  });
});

// Tokens: a present but invalid token is UNAUTHENTICATED, never silently anonymous (a token with
// no exp, or issued or valid only in the future, included); logOut revokes every token issued
// until then; a deleted user's token stops working.
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, test } from 'vitest';
import { signToken } from '../../src/auth/token.js';
import { given, type GivenUser, type Given } from '../support/given.js';
import { bearer, errorOf, signIn } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { connectWs } from '../support/ws-client.js';

const JWT_SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const secret = new TextEncoder().encode(JWT_SECRET);

let app: TestApp;
let g: Given;
let ada: GivenUser;
beforeAll(async () => {
  app = await startTestApp({ env: { JWT_SECRET } });
  g = given(app);
  ada = await g.user({ name: 'Ada' });
  await g.post({ by: ada, title: 'Public' });
});

/** Public data: an anonymous caller gets it, so a refused token must not. */
const PUBLIC_AND_VIEWER = `{ viewer { id } posts { edges { node { title } } } }`;

async function expectRefused(headers: Record<string, string>) {
  const res = await app.query(PUBLIC_AND_VIEWER, undefined, { headers });
  expect(res.status).toBe(200);
  expect(res.data ?? null).toBeNull();
  expect(errorOf(res).code).toBe('UNAUTHENTICATED');
}

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

test('a valid token signs the viewer in', async () => {
  const token = await signToken({ secret, expiresInSeconds: 60 }, { userId: ada.id, tokenVersion: 0 });
  const res = await app.query(PUBLIC_AND_VIEWER, undefined, bearer(token));
  expect(res.data.viewer).toEqual({ id: ada.gid });
});

describe('a present but invalid token is UNAUTHENTICATED, with no data', () => {
  test('signed with another secret', async () => {
    const token = await signToken(
      { secret: new TextEncoder().encode('x'.repeat(40)), expiresInSeconds: 60 },
      { userId: ada.id, tokenVersion: 0 },
    );
    await expectRefused(bearer(token).headers);
  });

  test('expired', async () => {
    const token = await signToken({ secret, expiresInSeconds: -60 }, { userId: ada.id, tokenVersion: 0 });
    await expectRefused(bearer(token).headers);
  });

  test('alg: none (unsigned)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: String(ada.id), ver: 0, iss: 'social-graphql', aud: 'social-graphql', iat: now, exp: now + 60 };
    await expectRefused(bearer(`${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims)}.`).headers);
  });

  test('signed with the right secret but for another service', async () => {
    const token = await new SignJWT({ ver: 0 })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(String(ada.id))
      .setExpirationTime('1m')
      .sign(secret);
    await expectRefused(bearer(token).headers);
  });

  test.each([
    ['a word', 'garbage'],
    ['three dotted parts', 'a.b.c'],
    ['5,000 characters', 'x'.repeat(5000)],
  ])('garbage: %s', async (_label, token) => {
    await expectRefused(bearer(token).headers);
  });

  test('not a Bearer header', async () => {
    await expectRefused({ authorization: 'Basic YWRhOnNlY3JldA==' });
  });

  test("a deleted user's token", async () => {
    const gone = await g.user({ name: 'Gone' });
    const session = await signIn(app, gone);
    const res = await app.query(`mutation($id: ID!) { deleteUser(id: $id) }`, { id: gone.gid }, session);
    expect(res.data).toEqual({ deleteUser: true });
    await expectRefused(session.headers);
  });
});

describe('times: no exp, or issued or valid only in the future (issue 11)', () => {
  const now = () => Math.floor(Date.now() / 1000);
  /** Our own claims, signed with the server's secret, with the times given (absent when undefined). */
  const forge = (times: { iat?: number; nbf?: number; exp?: number }) => {
    const jwt = new SignJWT({ ver: 0 })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(String(ada.id))
      .setIssuer('social-graphql')
      .setAudience('social-graphql');
    if (times.iat !== undefined) jwt.setIssuedAt(times.iat);
    if (times.nbf !== undefined) jwt.setNotBefore(times.nbf);
    if (times.exp !== undefined) jwt.setExpirationTime(times.exp);
    return jwt.sign(secret);
  };

  test.each([
    ['without exp', () => ({ iat: now() })],
    ['without iat', () => ({ exp: now() + 60 })],
    ['issued a minute in the future', () => ({ iat: now() + 60, exp: now() + 120 })],
    ['valid only from a minute in the future (nbf)', () => ({ iat: now(), nbf: now() + 60, exp: now() + 120 })],
  ])('a token %s is UNAUTHENTICATED over HTTP and closes a WebSocket with 4403', async (_label, times) => {
    const token = await forge(times());
    await expectRefused(bearer(token).headers);
    expect((await connectWs(app.url, { token }).closed).code).toBe(4403);
  });

  test('a token issued 10 s in the future (clock skew between instances) still works', async () => {
    const token = await forge({ iat: now() + 10, nbf: now() + 10, exp: now() + 120 });
    const res = await app.query(PUBLIC_AND_VIEWER, undefined, bearer(token));
    expect(res.data.viewer).toEqual({ id: ada.gid });
  });
});

describe('logOut', () => {
  test('revokes every token issued until then, on every device; a new logIn works', async () => {
    const bob = await g.user({ name: 'Bob' });
    const phone = await signIn(app, bob);
    const laptop = await signIn(app, bob);
    const res = await app.query(`mutation { logOut }`, undefined, phone);
    expect(res.body.data).toEqual({ logOut: true });
    await expectRefused(phone.headers);
    await expectRefused(laptop.headers);

    const again = await signIn(app, bob);
    const me = await app.query(`{ viewer { id } }`, undefined, again);
    expect(me.data.viewer).toEqual({ id: bob.gid });
  });

  test('a logged-out token cannot log out again', async () => {
    const cy = await g.user({ name: 'Cy' });
    const session = await signIn(app, cy);
    await app.query(`mutation { logOut }`, undefined, session);
    await expectRefused(session.headers);
    const res = await app.query(`mutation { logOut }`, undefined, session);
    expect(errorOf(res).code).toBe('UNAUTHENTICATED');
  });

  test('anonymous is UNAUTHENTICATED', async () => {
    const res = await app.query(`mutation { logOut }`);
    expect(res.data).toBeNull();
    expect(errorOf(res).code).toBe('UNAUTHENTICATED');
  });

  test('the rest of the same request runs as nobody', async () => {
    const dee = await g.user({ name: 'Dee' });
    const res = await app.query(
      `mutation { logOut createPost(input: { title: "After", content: "Too late" }) { id } }`,
      undefined,
      await signIn(app, dee),
    );
    expect(errorOf(res)).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(res.errors![0]!.path).toEqual(['createPost']);
  });

  test('a second logOut in the same request is UNAUTHENTICATED: the viewer is gone', async () => {
    const eve = await g.user({ name: 'Eve' });
    const res = await app.query(`mutation { a: logOut b: logOut }`, undefined, await signIn(app, eve));
    expect(res.data).toBeNull();
    expect(errorOf(res)).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'Sign in to log out: send Authorization: Bearer <token> from createUser or logIn.',
    });
    expect(res.errors![0]!.path).toEqual(['b']);
  });
});

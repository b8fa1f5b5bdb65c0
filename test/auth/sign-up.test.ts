// createUser: signing up, every validation rule, and the CONFLICT of a registered email.
import { count, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, test } from 'vitest';
import { users } from '../../src/db/schema.js';
import { given } from '../support/given.js';
import { bearer, errorOf } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  await given(app).user({ name: 'Taken', email: 'taken@example.com' });
});

const CREATE_USER = `mutation($input: CreateUserInput!) {
  createUser(input: $input) { token user { id name email postsCount followersCount viewerIsFollowing } }
}`;

const userCount = async () => (await app.database.db.select({ n: count() }).from(users))[0]!.n;

let serial = 0;
const valid = () => ({ name: 'Grace Hopper', email: `grace${++serial}@example.com`, password: 'correct horse battery' });

test('signing up returns a working token and the new user, with their email visible to them', async () => {
  const res = await app.query(CREATE_USER, {
    input: { name: '  Grace Hopper\t', email: ' Grace.Hopper@Example.com ', password: 'correct horse battery' },
  });
  expect(res.errors).toBeUndefined();
  const { token, user } = res.data.createUser;
  expect(user).toMatchObject({
    name: 'Grace Hopper',
    email: 'Grace.Hopper@Example.com',
    postsCount: 0,
    followersCount: 0,
    viewerIsFollowing: false,
  });

  const me = await app.query(`{ viewer { id name email } }`, undefined, bearer(token));
  expect(me.body).toEqual({
    data: { viewer: { id: user.id, name: 'Grace Hopper', email: 'Grace.Hopper@Example.com' } },
    extensions: me.body.extensions,
  });
});

test('the password is stored only as an argon2 hash', async () => {
  const input = valid();
  const res = await app.query(CREATE_USER, { input });
  expect(res.errors).toBeUndefined();
  const [row] = await app.database.db.select().from(users).where(eq(users.email, input.email));
  expect(row!.passwordHash).toMatch(/^\$argon2id\$/);
  expect(row!.passwordHash).not.toContain(input.password);
});

test('an email already registered, in another case, is CONFLICT naming input.email, and creates nobody', async () => {
  const res = await app.query(CREATE_USER, { input: { ...valid(), email: 'TAKEN@Example.COM' } });
  expect(res.data).toBeNull();
  expect(errorOf(res)).toMatchObject({
    code: 'CONFLICT',
    details: [{ field: 'input.email', message: expect.stringContaining('already registered') }],
  });
  const rows = await app.database.db.select().from(users).where(eq(users.name, 'Grace Hopper'));
  expect(rows.map((r) => r.email.toLowerCase())).not.toContain('taken@example.com');
});

test('names and passwords are counted in characters, not UTF-16 units', async () => {
  const res = await app.query(CREATE_USER, { input: { ...valid(), name: '😀'.repeat(100), password: '🔑'.repeat(8) } });
  expect(res.errors).toBeUndefined();
  expect(res.data.createUser.user.name).toBe('😀'.repeat(100));
});

describe('every invalid field is BAD_USER_INPUT naming it, and creates nobody', () => {
  test.each([
    ['an empty name', { name: '' }, 'input.name', 'name must be 1–100 characters'],
    ['a blank name', { name: '   ' }, 'input.name', 'name must be 1–100 characters'],
    ['a 101-character name', { name: 'n'.repeat(101) }, 'input.name', 'name must be 1–100 characters'],
    ['a 10,000-character name', { name: 'n'.repeat(10_000) }, 'input.name', 'name must be 1–100 characters'],
    ['a name with a NUL', { name: 'Ada\u0000Lovelace' }, 'input.name', 'control characters'],
    ['a name on two lines', { name: 'Ada\nLovelace' }, 'input.name', 'control characters'],
    ['a name with a lone surrogate', { name: 'Ada \ud83d' }, 'input.name', 'lone surrogate'],
    ['an email without @', { email: 'grace.example.com' }, 'input.email', 'email must be an email address'],
    ['an email with two @', { email: 'grace@@example.com' }, 'input.email', 'email must be an email address'],
    ['an email without a dotted domain', { email: 'grace@localhost' }, 'input.email', 'email must be an email address'],
    ['an email with a space', { email: 'grace hopper@example.com' }, 'input.email', 'email must be an email address'],
    ['an email with nothing before @', { email: '@example.com' }, 'input.email', 'email must be an email address'],
    ['an email with a NUL', { email: 'gr\u0000ace@example.com' }, 'input.email', 'email must be an email address'],
    ['an email over 254 characters', { email: `${'g'.repeat(250)}@example.com` }, 'input.email', 'at most 254 characters'],
    ['a 7-character password', { password: 'seven77' }, 'input.password', 'password must be 8–1,000 characters'],
    ['a 1,001-character password', { password: 'p'.repeat(1001) }, 'input.password', 'password must be 8–1,000 characters'],
    ['a password with a lone surrogate', { password: 'password\udc00' }, 'input.password', 'lone surrogate'],
  ])('%s', async (_label, change, field, message) => {
    const before = await userCount();
    const res = await app.query(CREATE_USER, { input: { ...valid(), ...change } });
    expect(res.status).toBe(200);
    expect(res.data).toBeNull();
    expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', details: [{ field, message: expect.stringContaining(message) }] });
    expect(await userCount()).toBe(before);
  });
});

test('several problems come in one error, one detail each', async () => {
  const res = await app.query(CREATE_USER, { input: { name: '', email: 'nope', password: 'short' } });
  expect(errorOf(res)).toMatchObject({
    code: 'BAD_USER_INPUT',
    details: [{ field: 'input.name' }, { field: 'input.email' }, { field: 'input.password' }],
  });
});

test('a password is not trimmed: eight spaces is a valid password', async () => {
  const res = await app.query(CREATE_USER, { input: { ...valid(), password: ' '.repeat(8) } });
  expect(res.errors).toBeUndefined();
});

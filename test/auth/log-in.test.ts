// logIn: the right password signs in; a wrong one and an unknown email are the same answer.
import { beforeAll, describe, expect, test } from 'vitest';
import { given, GIVEN_PASSWORD, type GivenUser } from '../support/given.js';
import { bearer, errorOf } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let ada: GivenUser;
beforeAll(async () => {
  app = await startTestApp();
  ada = await given(app).user({ name: 'Ada', email: 'Ada.Lovelace@Example.com' });
});

const LOG_IN = `mutation($input: LogInInput!) { logIn(input: $input) { token user { id name email } } }`;

test('logs in with the email in any case, and the token signs the viewer in', async () => {
  const res = await app.query(LOG_IN, { input: { email: '  ada.lovelace@EXAMPLE.com ', password: GIVEN_PASSWORD } });
  expect(res.errors).toBeUndefined();
  expect(res.data.logIn.user).toEqual({ id: ada.gid, name: 'Ada', email: 'Ada.Lovelace@Example.com' });
  const me = await app.query(`{ viewer { id email } }`, undefined, bearer(res.data.logIn.token));
  expect(me.data.viewer).toEqual({ id: ada.gid, email: 'Ada.Lovelace@Example.com' });
});

test('each logIn gives a token of its own, and earlier ones keep working (several devices)', async () => {
  const first = await app.query(LOG_IN, { input: { email: ada.email, password: GIVEN_PASSWORD } });
  const second = await app.query(LOG_IN, { input: { email: ada.email, password: GIVEN_PASSWORD } });
  for (const res of [first, second]) {
    const me = await app.query(`{ viewer { id } }`, undefined, bearer(res.data.logIn.token));
    expect(me.data.viewer).toEqual({ id: ada.gid });
  }
});

test('a wrong password and an unknown email get the very same UNAUTHENTICATED answer', async () => {
  const wrongPassword = await app.query(LOG_IN, { input: { email: ada.email, password: 'not-the-password' } });
  const unknownEmail = await app.query(LOG_IN, { input: { email: 'nobody@example.com', password: 'not-the-password' } });
  expect(errorOf(wrongPassword)).toMatchObject({ code: 'UNAUTHENTICATED', message: 'Wrong email or password.' });
  expect(wrongPassword.data).toBeNull();
  expect(unknownEmail.status).toBe(wrongPassword.status);
  expect(unknownEmail.body).toEqual(wrongPassword.body);
});

test('the password must match exactly: case and surrounding spaces count', async () => {
  for (const password of [GIVEN_PASSWORD.toUpperCase(), ` ${GIVEN_PASSWORD}`, `${GIVEN_PASSWORD} `]) {
    const res = await app.query(LOG_IN, { input: { email: ada.email, password } });
    expect(errorOf(res).code).toBe('UNAUTHENTICATED');
  }
});

describe('invalid input is BAD_USER_INPUT naming the field', () => {
  test.each([
    ['an empty email', { email: '' }, 'input.email'],
    ['a malformed email', { email: 'ada' }, 'input.email'],
    ['an email with a NUL', { email: 'ada\u0000@example.com' }, 'input.email'],
    ['a 10,000-character email', { email: `${'a'.repeat(10_000)}@example.com` }, 'input.email'],
    ['an empty password', { password: '' }, 'input.password'],
    ['a 1,001-character password', { password: 'p'.repeat(1001) }, 'input.password'],
  ])('%s', async (_label, change, field) => {
    const res = await app.query(LOG_IN, { input: { email: ada.email, password: GIVEN_PASSWORD, ...change } });
    expect(res.data).toBeNull();
    expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', details: [{ field }] });
  });

  test('both at once, in one error', async () => {
    const res = await app.query(LOG_IN, { input: { email: 'ada', password: '' } });
    expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', details: [{ field: 'input.email' }, { field: 'input.password' }] });
  });
});

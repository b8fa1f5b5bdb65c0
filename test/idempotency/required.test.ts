// REQUIRE_IDEMPOTENCY_KEY=true: every mutation needs a key, but createUser and logIn, which
// ignore it (their token is never stored); queries never need one.
import { beforeAll, expect, test } from 'vitest';
import { given, GIVEN_PASSWORD } from '../support/given.js';
import { postRaw } from '../support/raw-post.js';
import { signIn, type Session } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const CREATE_POST = `mutation { createPost(input: { title: "Required", content: "Hello." }) { title } }`;

let app: TestApp;
let ada: Session;
let adaEmail: string;
beforeAll(async () => {
  app = await startTestApp({ env: { REQUIRE_IDEMPOTENCY_KEY: 'true' } });
  const user = await given(app).user({ name: 'Ada' });
  adaEmail = user.email;
  ada = await signIn(app, user);
});

test.each([
  ['application/graphql-response+json', 'application/graphql-response+json'],
  ['application/json only', 'application/json'],
])('a mutation without a key is IDEMPOTENCY_KEY_REQUIRED (400), accepting %s', async (_name, accept) => {
  const res = await postRaw(app, JSON.stringify({ query: CREATE_POST }), { ...ada.headers, accept });
  expect(res.status).toBe(400);
  expect(res.json.errors).toMatchObject([{ extensions: { code: 'IDEMPOTENCY_KEY_REQUIRED' } }]);
  expect(res.json.data ?? null).toBeNull();
});

test('a mutation with a key runs', async () => {
  const res = await postRaw(app, JSON.stringify({ query: CREATE_POST }), { ...ada.headers, 'idempotency-key': 'required-1' });
  expect(res.status).toBe(200);
  expect(res.json.data.createPost.title).toBe('Required');
});

test('createUser and logIn need no key', async () => {
  const signUp = await app.query(
    `mutation { createUser(input: { name: "Cy", email: "cy@example.com", password: "long enough" }) { token } }`,
  );
  expect(signUp.errors).toBeUndefined();
  const logIn = await app.query(`mutation($input: LogInInput!) { logIn(input: $input) { token } }`, {
    input: { email: adaEmail, password: GIVEN_PASSWORD },
  });
  expect(logIn.errors).toBeUndefined();
});

test('logIn mixed with another mutation is BAD_REQUEST: it cannot be keyed and the other must be', async () => {
  const res = await postRaw(
    app,
    JSON.stringify({ query: `mutation { logIn(input: { email: "${adaEmail}", password: "${GIVEN_PASSWORD}" }) { token } logOut }` }),
    ada.headers,
  );
  expect(res.status).toBe(400);
  expect(res.json.errors).toMatchObject([{ extensions: { code: 'BAD_REQUEST' } }]);
});

test('queries need no key', async () => {
  const res = await app.query(`{ viewer { name } }`, undefined, ada);
  expect(res.status).toBe(200);
  expect(res.data.viewer.name).toBe('Ada');
});

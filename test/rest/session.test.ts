// REST sessions: sign up (POST /v1/users), log in (POST /v1/sessions), log out (DELETE /v1/sessions).
import { beforeAll, describe, expect, it } from 'vitest';
import { given, GIVEN_PASSWORD } from '../support/given.js';
import { restClient, type RestClient } from '../support/rest-client.js';
import { bearer } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let rest: RestClient;
beforeAll(async () => {
  app = await startTestApp();
  rest = restClient(app);
});

describe('sign up', () => {
  it('answers 201 with a token and the user, and a Location that reads the user back', async () => {
    const created = await rest.post('/v1/users', { json: { name: 'Ann', email: 'ann@example.com', password: 'password123' } });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ token: expect.any(String), user: { name: 'Ann', email: 'ann@example.com' } });
    const location = created.headers.get('location')!;
    expect(location).toBe(`/v1/users/${encodeURIComponent(created.body.data.user.id)}`);
    const read = await rest.get(location);
    expect(read.status).toBe(200);
    expect(read.body.data).toMatchObject({ id: created.body.data.user.id, name: 'Ann', email: null });
  });

  it('gives a token that signs the new user in', async () => {
    const created = await rest.post('/v1/users', { json: { name: 'Bea', email: 'bea@example.com', password: 'password123' } });
    const me = await rest.get('/v1/me', bearer(created.body.data.token));
    expect(me.status).toBe(200);
    expect(me.body.data).toMatchObject({ id: created.body.data.user.id, email: 'bea@example.com' });
  });

  it('ignores Idempotency-Key: two sign-ups with one key and different bodies both create an account', async () => {
    const headers = { 'idempotency-key': 'same-key' };
    const first = await rest.post('/v1/users', { headers, json: { name: 'Cy', email: 'cy@example.com', password: 'password123' } });
    const second = await rest.post('/v1/users', { headers, json: { name: 'Di', email: 'di@example.com', password: 'password123' } });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.headers.get('idempotency-replay')).toBeNull();
    expect(second.body.data.user.id).not.toBe(first.body.data.user.id);
  });
});

describe('log in', () => {
  it('answers 201 with a new token and the user', async () => {
    const user = await given(app).user({ name: 'Eve', email: 'eve@example.com' });
    const res = await rest.post('/v1/sessions', { json: { email: 'eve@example.com', password: GIVEN_PASSWORD } });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ token: expect.any(String), user: { id: user.gid, name: 'Eve', email: 'eve@example.com' } });
    expect((await rest.get('/v1/me', bearer(res.body.data.token))).body.data.id).toBe(user.gid);
  });

  it('a wrong password is 401 UNAUTHENTICATED', async () => {
    await given(app).user({ email: 'fay@example.com' });
    const res = await rest.post('/v1/sessions', { json: { email: 'fay@example.com', password: 'not-the-password' } });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('ignores Idempotency-Key: two log-ins with one key each get a token', async () => {
    await given(app).user({ email: 'gus@example.com' });
    const login = () =>
      rest.post('/v1/sessions', {
        headers: { 'idempotency-key': 'login-key' },
        json: { email: 'gus@example.com', password: GIVEN_PASSWORD },
      });
    const [first, second] = [await login(), await login()];
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.headers.get('idempotency-replay')).toBeNull();
  });
});

describe('log out', () => {
  it('answers 204; the old token is then 401 with WWW-Authenticate: Bearer', async () => {
    await given(app).user({ email: 'hal@example.com' });
    const { token } = (await rest.post('/v1/sessions', { json: { email: 'hal@example.com', password: GIVEN_PASSWORD } })).body.data;
    const out = await rest.delete('/v1/sessions', bearer(token));
    expect(out.status).toBe(204);
    const after = await rest.get('/v1/me', bearer(token));
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('UNAUTHENTICATED');
    expect(after.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('revokes the token for reads too: a public GET with it is 401', async () => {
    await given(app).user({ email: 'ivy@example.com' });
    const { token } = (await rest.post('/v1/sessions', { json: { email: 'ivy@example.com', password: GIVEN_PASSWORD } })).body.data;
    await rest.delete('/v1/sessions', bearer(token));
    const res = await rest.get('/v1/posts', bearer(token));
    expect(res.status).toBe(401);
  });

  it('without a token is 401', async () => {
    const res = await rest.delete('/v1/sessions');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });
});

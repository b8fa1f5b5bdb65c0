// Hostile REST input: each a clean 4xx in the error envelope, never a 500, and the server keeps serving.
import { beforeAll, expect, it } from 'vitest';
import { given } from '../support/given.js';
import { restClient, type RestClient, type RestInit } from '../support/rest-client.js';
import { signIn, type Session } from '../support/sign-in.js';
import { startTestApp } from '../support/test-app.js';

let rest: RestClient;
let ada: Session;
beforeAll(async () => {
  const app = await startTestApp();
  rest = restClient(app);
  ada = await signIn(app, await given(app).user());
});

const raw = (rawBody: string): RestInit => ({ headers: { ...ada.headers, 'content-type': 'application/json' }, rawBody });

/** A 4xx in the error envelope, then a request that still works. */
async function expectClean4xx(res: { status: number; body: any }, status: number, code: string) {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  expect(res.body.success).toBe(false);
  expect((await rest.get('/v1/posts?limit=1')).status).toBe(200);
}

it.each([
  ['malformed JSON', '{"title": "x", '],
  ['a lone surrogate escape and garbage', '{"title": "\\ud800", }}}'],
  ['an empty body', ''],
  ['null', 'null'],
  ['an array', '[]'],
  ['a string', '"x"'],
  ['a number', '42'],
])('%s as the body is 400 BAD_REQUEST', async (_name, body) => {
  await expectClean4xx(await rest.post('/v1/posts', raw(body)), 400, 'BAD_REQUEST');
});

it('deeply nested JSON in a field is a wrong type, not a crash', async () => {
  const nested = '['.repeat(100_000) + ']'.repeat(100_000);
  await expectClean4xx(await rest.post('/v1/posts', raw(`{"title": ${nested}, "content": "x"}`)), 400, 'BAD_USER_INPUT');
});

it('a huge body is 413 PAYLOAD_TOO_LARGE', async () => {
  const huge = JSON.stringify({ title: 'x', content: 'y'.repeat(2 * 1024 * 1024) });
  await expectClean4xx(await rest.post('/v1/posts', raw(huge)), 413, 'PAYLOAD_TOO_LARGE');
});

it('a 10,000-character path id is 400 BAD_USER_INPUT on id, with a bounded message', async () => {
  const res = await rest.get(`/v1/posts/${'A'.repeat(10_000)}`);
  expect(res.body.error.details).toMatchObject([{ field: 'id' }]);
  expect(JSON.stringify(res.body).length).toBeLessThan(2000);
  await expectClean4xx(res, 400, 'BAD_USER_INPUT');
});

it('a 10,000-character unknown path is 404 with a bounded message', async () => {
  const res = await rest.get(`/v1/${'x'.repeat(10_000)}`);
  expect(JSON.stringify(res.body).length).toBeLessThan(2000);
  await expectClean4xx(res, 404, 'NOT_FOUND');
});

it.each([
  ['a bad percent-escape', '/v1/posts/%E0%A4%A'],
  ['an invalid UTF-8 escape', '/v1/posts/%FF%FE'],
  ['an encoded NUL', '/v1/posts/abc%00def'],
  ['an encoded slash', '/v1/posts/a%2Fb'],
])('%s in a path id is a clean 4xx', async (_name, url) => {
  const res = await rest.get(url);
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  await expectClean4xx(res, res.status, res.body.error.code);
});

it('percent-encoding garbage in a write path is a clean 4xx', async () => {
  const res = await rest.put('/v1/me/likes/%E0%A4%A', { headers: ada.headers });
  expect(res.status).toBe(400);
  await expectClean4xx(res, 400, 'BAD_USER_INPUT');
});

it('after a streamed (chunked) body over the limit is refused with 413, the next requests are answered', async () => {
  for (let round = 0; round < 5; round++) {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(JSON.stringify({ title: 'x', content: 'y'.repeat(2 * 1024 * 1024) })));
        controller.close();
      },
    });
    const res = await rest.post('/v1/posts', { headers: { ...ada.headers, 'content-type': 'application/json' }, stream: body });
    expect(res.status).toBe(413);
    // The refused body is left unread: the client must not send another request on that connection.
    for (let i = 0; i < 3; i++) expect((await rest.get('/v1/posts?limit=1')).status).toBe(200);
  }
});

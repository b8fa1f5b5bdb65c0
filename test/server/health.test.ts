import { beforeAll, describe, expect, test } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});

/** The body as sent, checked against Content-Length (a wrong length hangs or truncates clients). */
async function bodyOf(response: Response): Promise<any> {
  const text = await response.text();
  const length = response.headers.get('content-length');
  if (length !== null) expect(Number(length)).toBe(Buffer.byteLength(text));
  return JSON.parse(text);
}

describe('probes', () => {
  test('/health is 200 once the server serves', async () => {
    const response = await app.fetch('/health');
    expect(response.status).toBe(200);
    expect(await bodyOf(response)).toEqual({ status: 'ok' });
  });

  test('/ready is 200 while the database answers', async () => {
    const response = await app.fetch('/ready');
    expect(response.status).toBe(200);
    expect(await bodyOf(response)).toEqual({ status: 'ready' });
  });

  test('probes are not cached', async () => {
    for (const path of ['/health', '/ready']) {
      const response = await app.fetch(path);
      await response.text();
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
  });

  test('probes answered one after the other each carry their own body length', async () => {
    // Regression: the probes once shared one headers object, so the first answer's
    // Content-Length stuck to the next one (a /health after /ready claimed 18 bytes, sent 15).
    for (const path of ['/ready', '/health', '/ready', '/health']) {
      const response = await app.fetch(path);
      expect(response.status).toBe(200);
      await bodyOf(response);
    }
  });
});

describe('X-Request-ID', () => {
  const paths = ['/health', '/ready', '/graphql?query=%7B__typename%7D', '/no-such-path'];

  test('every response carries one, also a 404', async () => {
    for (const path of paths) {
      const response = await app.fetch(path, { headers: { accept: 'application/json' } });
      await response.text();
      expect(response.headers.get('x-request-id'), path).toMatch(/^[A-Za-z0-9\-_.:]{8,128}$/);
    }
    const notFound = await app.fetch('/no-such-path');
    expect(notFound.status).toBe(404);
    expect((await notFound.json()).errors[0].extensions.code).toBe('NOT_FOUND');
  });

  test('a short plain client id is echoed', async () => {
    const plain = ['abc', 'req-1_2.3:4', 'A'.repeat(128), '550e8400-e29b-41d4-a716-446655440000'];
    for (const path of paths) {
      for (const id of plain) {
        const response = await app.fetch(path, { headers: { 'x-request-id': id, accept: 'application/json' } });
        await response.text();
        expect(response.headers.get('x-request-id'), `${path} ${id}`).toBe(id);
      }
    }
  });

  test('anything else is replaced by a fresh id', async () => {
    const hostile = ['A'.repeat(129), 'has space', 'semi;colon', '<script>', 'ünïcode', 'a/b', 'a,b'];
    const seen = new Set<string>();
    for (const path of paths) {
      for (const id of hostile) {
        const response = await app.fetch(path, { headers: { 'x-request-id': id, accept: 'application/json' } });
        await response.text();
        const echoed = response.headers.get('x-request-id');
        expect(echoed, `${path} ${id}`).not.toBe(id);
        expect(echoed).toMatch(/^[A-Za-z0-9\-_.:]{8,128}$/);
        seen.add(echoed!);
      }
    }
    expect(seen.size).toBe(paths.length * 7); // fresh each time, never reused
  });

  test('without a client id, two requests get two different ids', async () => {
    const [a, b] = await Promise.all([app.fetch('/health'), app.fetch('/health')]);
    await Promise.all([a.text(), b.text()]);
    expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'));
  });
});

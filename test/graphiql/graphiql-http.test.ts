import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_QUERY } from '../../src/http/graphiql.js';
import { given } from '../support/given.js';
import { getRaw as get } from '../support/raw-get.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// What a browser sends when it navigates (Chromium's Accept for documents).
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

let app: TestApp;
let html: string;
beforeAll(async () => {
  app = await startTestApp();
  html = (await get(app.url, { accept: BROWSER_ACCEPT })).body.toString('utf8');
});

describe('GET /graphql from a browser', () => {
  test('is GraphiQL, brotli-compressed, with a request id, a strong ETag and a CSP', async () => {
    const res = await get(app.url, { accept: BROWSER_ACCEPT, 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers.vary).toMatch(/Accept-Encoding/);
    expect(res.headers.etag).toMatch(/^"[^"]+"$/); // strong: no W/
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['x-request-id']).toMatch(/.+/);
    expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(brotliDecompressSync(res.body).toString('utf8')).toBe(html);
    expect(html).toContain('<title>Social GraphQL</title>');
  });

  test('is gzip when brotli is refused, and uncompressed when nothing is accepted', async () => {
    const gzipped = await get(app.url, { accept: BROWSER_ACCEPT, 'accept-encoding': 'br;q=0, gzip' });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzipped.body).toString('utf8')).toBe(html);

    const plain = await get(app.url, { accept: BROWSER_ACCEPT });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(gzipped.body.length * 2);
  });

  test('If-None-Match with the current ETag is a 304 without a body', async () => {
    const headers = { accept: BROWSER_ACCEPT, 'accept-encoding': 'gzip' };
    const first = await get(app.url, headers);
    const again = await get(app.url, { ...headers, 'if-none-match': String(first.headers.etag), 'x-request-id': 'graphiql-304' });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(again.headers['x-request-id']).toBe('graphiql-304');

    const stale = await get(app.url, { ...headers, 'if-none-match': '"an-older-page"' });
    expect(stale.status).toBe(200);
  });

  test('Vary names Accept and Accept-Encoding, also beside the Vary: Origin of CORS', async () => {
    const res = await get(app.url, { accept: BROWSER_ACCEPT, origin: 'http://localhost:5173' });
    expect(String(res.headers.vary).split(/,\s*/).sort()).toEqual(['Accept', 'Accept-Encoding', 'Origin']);
  });

  test('each encoding has its own ETag', async () => {
    const etags = await Promise.all(
      ['br', 'gzip', 'identity'].map(
        async (encoding) => (await get(app.url, { accept: BROWSER_ACCEPT, 'accept-encoding': encoding })).headers.etag,
      ),
    );
    expect(new Set(etags).size).toBe(3);
  });

  test('the page loads no script, stylesheet or font from anywhere else', () => {
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+rel=["']?stylesheet/i);
    expect(html).not.toMatch(/<link[^>]+href=["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import/i);
    expect(html).not.toMatch(/url\(\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/fonts\.(googleapis|gstatic)\.com|unpkg\.com|jsdelivr\.net|cdnjs\./i);
  });
});

describe('GET /graphql from an API client', () => {
  test('still gets JSON', async () => {
    const res = await app.fetch('/graphql?query={__typename}', { headers: { accept: 'application/json' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ data: { __typename: 'Query' }, extensions: { cost: { requested: 1, limit: 1000 } } });
  });
});

test('the default query runs without errors', async () => {
  const alice = await given(app).user({ name: 'Anna' });
  const post = await given(app).post({ by: alice, title: 'Hello' });
  await given(app).comment({ on: post, by: alice, body: 'First!' });
  const res = await app.query(DEFAULT_QUERY);
  expect(res.errors).toBeUndefined();
  expect(res.data.posts.edges[0].node.comments.edges[0].node.body).toBe('First!');
  expect(res.data.users.edges[0].node.name).toBe('Anna');
});

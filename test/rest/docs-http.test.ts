import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, test } from 'vitest';
import { getRaw } from '../support/raw-get.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

let app: TestApp;
let html: string;
/** The page's assets, as it links them: absolute paths. */
let assets: { scripts: string[]; stylesheet: string; icon: string };
const at = (path: string) => new URL(path, app.url);

beforeAll(async () => {
  app = await startTestApp();
  html = (await getRaw(at('/v1/docs'), { accept: BROWSER_ACCEPT })).body.toString('utf8');
  const resolve = (href: string) => new URL(href, at('/v1/docs')).pathname;
  assets = {
    scripts: [...html.matchAll(/<script[^>]* src="([^"]+)"/g)].map(([, src]) => resolve(src!)),
    stylesheet: resolve(/<link rel="stylesheet" href="([^"]+)"/.exec(html)![1]!),
    icon: resolve(/<link rel="icon"[^>]* href="([^"]+)"/.exec(html)![1]!),
  };
});

describe('GET /v1/docs', () => {
  test('is an HTML page, brotli-compressed, with a strong ETag, no-cache and a CSP without inline scripts', async () => {
    const res = await getRaw(at('/v1/docs'), { accept: BROWSER_ACCEPT, 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers.vary).toBe('Accept-Encoding');
    expect(res.headers.etag).toMatch(/^"[^"]+"$/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['x-request-id']).toMatch(/.+/);
    const policy = String(res.headers['content-security-policy']);
    expect(policy).toMatch(/default-src 'none'/);
    expect(policy).toMatch(/script-src 'self'(;|$)/);
    expect(policy).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(brotliDecompressSync(res.body).toString('utf8')).toBe(html);
  });

  test('links only its own assets, with no inline script, and points Swagger UI at openapi.json', async () => {
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i);
    expect(assets.scripts).toHaveLength(2);
    for (const path of [...assets.scripts, assets.stylesheet, assets.icon])
      expect(path).toMatch(/^\/v1\/docs\/assets\/[\w-]+\.[0-9a-f]{16}\.\w+$/);
    const start = await app.fetch(assets.scripts[1]!);
    expect(await start.text()).toContain("url: 'openapi.json'");
  });

  test('is gzip when brotli is refused, uncompressed when nothing is accepted, each with its own ETag', async () => {
    const gzipped = await getRaw(at('/v1/docs'), { 'accept-encoding': 'br;q=0, gzip' });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzipped.body).toString('utf8')).toBe(html);
    const plain = await getRaw(at('/v1/docs'));
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString('utf8')).toBe(html);
    expect(plain.headers.etag).not.toBe(gzipped.headers.etag);
  });

  test('If-None-Match with the current ETag is a 304 without a body; an old one gets the page', async () => {
    const first = await getRaw(at('/v1/docs'), { 'accept-encoding': 'br' });
    const again = await getRaw(at('/v1/docs'), { 'accept-encoding': 'br', 'if-none-match': String(first.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.etag).toBe(first.headers.etag);
    const stale = await getRaw(at('/v1/docs'), { 'accept-encoding': 'br', 'if-none-match': '"an-older-page"' });
    expect(stale.status).toBe(200);
  });

  test('Vary names Accept-Encoding, also beside the Vary: Origin of CORS', async () => {
    for (const path of ['/v1/docs', assets.stylesheet]) {
      const res = await getRaw(at(path), { origin: 'http://localhost:5173', 'accept-encoding': 'br' });
      expect(String(res.headers.vary).split(/,\s*/).sort()).toEqual(['Accept-Encoding', 'Origin']);
    }
  });

  test('HEAD has the headers of GET and no body', async () => {
    const get = await getRaw(at('/v1/docs'), { 'accept-encoding': 'gzip' });
    const head = await getRaw(at('/v1/docs'), { 'accept-encoding': 'gzip' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers.etag).toBe(get.headers.etag);
    expect(head.headers['content-length']).toBe(String(get.body.length));
  });
});

describe('the assets', () => {
  test('are immutable, compressed, typed and sniff-proof', async () => {
    const [bundle, start] = assets.scripts;
    for (const [path, type] of [
      [bundle!, 'text/javascript; charset=utf-8'],
      [start!, 'text/javascript; charset=utf-8'],
      [assets.stylesheet, 'text/css; charset=utf-8'],
    ] as const) {
      const res = await getRaw(at(path), { 'accept-encoding': 'br, gzip' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe(type);
      expect(res.headers['content-encoding']).toBe('br');
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      const again = await getRaw(at(path), { 'accept-encoding': 'br, gzip', 'if-none-match': String(res.headers.etag) });
      expect(again.status).toBe(304);
    }
    const bundleText = brotliDecompressSync((await getRaw(at(bundle!), { 'accept-encoding': 'br' })).body).toString('utf8');
    expect(bundleText).toContain('SwaggerUIBundle');
  });

  test('the icon is a PNG, sent as is whatever the client accepts', async () => {
    const res = await getRaw(at(assets.icon), { 'accept-encoding': 'br, gzip' });
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body.subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  test('an unknown asset is 404 in the REST error envelope', async () => {
    const res = await app.fetch('/v1/docs/assets/swagger-ui-bundle.0000000000000000.js', { headers: { 'x-request-id': 'old-asset' } });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      success: false,
      error: { code: 'NOT_FOUND', message: expect.stringContaining('/v1/docs/assets/'), details: [] },
      meta: { request_id: 'old-asset' },
    });
  });
});

test('POST, PUT or DELETE on the page or an asset is 405 with Allow, in the REST error envelope', async () => {
  for (const [method, path] of [
    ['POST', '/v1/docs'],
    ['DELETE', '/v1/docs'],
    ['PUT', assets.stylesheet],
  ] as const) {
    const res = await app.fetch(path, { method, headers: { 'x-request-id': `docs-${method}` } });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.json()).toEqual({
      success: false,
      error: { code: 'BAD_REQUEST', message: `${method} is not allowed here: use GET, HEAD.`, details: [] },
      meta: { request_id: `docs-${method}` },
    });
  }
});

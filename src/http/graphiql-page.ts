// The GraphiQL page as bytes: rendered once, compressed once per encoding, each on first demand
// (most processes, and every test app, never serve it). render-graphiql inlines everything the
// page needs (JS, CSS, fonts as data: URLs, Monaco's workers as blob: URLs), so nothing loads
// from outside this server: it works on networks without internet. It is rendered on the first
// view, in a worker thread: imported by the server, its 9 MB of source held ~35 MiB of heap in
// every process from the start, page viewed or not, and imported on demand its compilation
// stalled every other request for about a second. The worker's heap goes with the worker.
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { GraphiQLOptions } from 'graphql-yoga';

export type Encoding = 'br' | 'gzip' | 'identity';

export type PageVariant = {
  body: Uint8Array<ArrayBuffer>;
  /** Strong, and distinct per encoding: each is its own representation (RFC 9110 §8.8.3). */
  etag: string;
  contentSecurityPolicy: string;
};

/** @default 6: brotli quality. The 9 MB page: ~1.92 MB in ~0.4 s; 9 saves 3% more in 1.7 s, 11 10% in 15 s. */
const BROTLI_QUALITY = 6;
/** @default 9: gzip level. ~2.43 MB in ~0.4 s, once per process. */
const GZIP_LEVEL = 9;

const compressors: Record<Exclude<Encoding, 'identity'>, (html: Buffer) => Promise<Buffer>> = {
  // Async: zlib works on libuv's thread pool, so the first page view doesn't stall other requests.
  br: (html) =>
    promisify(brotliCompress)(html, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: html.length,
      },
    }),
  gzip: (html) => promisify(gzip)(html, { level: GZIP_LEVEL }),
};

/** Returns the page in the asked encoding; every call after the first per encoding is a lookup. */
export function createGraphiQLPage(options: GraphiQLOptions): (encoding: Encoding) => Promise<PageVariant> {
  let rendered: Promise<RenderedPage> | undefined;
  const variants = new Map<Encoding, Promise<PageVariant>>();
  return (encoding) => {
    let variant = variants.get(encoding);
    if (!variant) {
      const page = (rendered ??= render(options));
      variant = variantOf(page, encoding);
      // A failure (to render or to compress) is not cached: the next request tries again.
      page.catch(() => (rendered = undefined));
      variant.catch(() => variants.delete(encoding));
      variants.set(encoding, variant);
    }
    return variant;
  };
}

type RenderedPage = { html: Buffer; hash: string; contentSecurityPolicy: string };

async function variantOf(rendered: Promise<RenderedPage>, encoding: Encoding): Promise<PageVariant> {
  const page = await rendered;
  const bytes = encoding === 'identity' ? page.html : await compressors[encoding](page.html);
  return {
    body: bytes as Uint8Array<ArrayBuffer>, // zlib and Buffer.from never return shared memory
    etag: encoding === 'identity' ? `"${page.hash}"` : `"${page.hash}-${encoding}"`,
    contentSecurityPolicy: page.contentSecurityPolicy,
  };
}

// The worker's whole program: it imports the renderer by the URL the server resolved (an eval'd
// worker resolves no package names of its own) and posts the page back.
const RENDER_IN_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
import(workerData.renderer).then(({ renderGraphiQL }) => parentPort.postMessage(renderGraphiQL(workerData.options)));
`;

function renderInWorker(options: GraphiQLOptions): Promise<string> {
  const renderer = import.meta.resolve('@graphql-yoga/render-graphiql');
  return new Promise((resolve, reject) => {
    const worker = new Worker(RENDER_IN_WORKER, { eval: true, workerData: { renderer, options } });
    worker.once('message', (html: string) => {
      resolve(html);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the GraphiQL page's worker exited with ${code} before rendering it`)));
  });
}

async function render(options: GraphiQLOptions): Promise<RenderedPage> {
  const html = await renderInWorker(options);
  return {
    html: Buffer.from(html),
    hash: createHash('sha256').update(html).digest('base64url').slice(0, 32),
    contentSecurityPolicy: contentSecurityPolicyFor(html),
  };
}

// Scripts: only the page's own inline ones, allowed by hash, so an injected script cannot run.
// Styles need 'unsafe-inline': Monaco and GraphiQL set style attributes and add <style> at run
// time. 'self' in connect-src also covers ws:/wss: to this host (CSP Level 3); graphiql.ts names
// them too, per request's host, for browsers that predate that.
function contentSecurityPolicyFor(html: string): string {
  const scriptHashes = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map(
    ([, script]) => `'sha256-${createHash('sha256').update(script!).digest('base64')}'`,
  );
  if (scriptHashes.length === 0) throw new Error('expected inline <script> elements in the GraphiQL page, found none');
  return [
    "default-src 'none'",
    `script-src ${scriptHashes.join(' ')}`,
    "style-src 'unsafe-inline'",
    'font-src data:',
    'img-src data: blob:',
    'worker-src blob:',
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

// The GraphiQL page as bytes: rendered once, compressed once per encoding, each on first demand
// (most processes, and every test app, never serve it). render-graphiql inlines everything the
// page needs (JS, CSS, fonts as data: URLs, Monaco's workers as blob: URLs), so nothing loads
// from outside this server: it works on networks without internet. It is rendered on the first
// view, in a worker thread: imported by the server, its 9 MB of source held ~35 MiB of heap in
// every process from the start, page viewed or not, and imported on demand its compilation
// stalled every other request for about a second. The worker's heap goes with the worker.
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { GraphiQLOptions } from 'graphql-yoga';
import { precompressed, type Encoding, type Variant } from './precompressed.js';

type RenderedPage = { bytes: Buffer; compressible: true; contentSecurityPolicy: string };

export type PageVariant = Variant<RenderedPage>;

/** Returns the page in the asked encoding; every call after the first per encoding is a lookup. */
export function createGraphiQLPage(options: GraphiQLOptions): (encoding: Encoding) => Promise<PageVariant> {
  return precompressed(() => render(options));
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
  return { bytes: Buffer.from(html), compressible: true, contentSecurityPolicy: contentSecurityPolicyFor(html) };
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

// GET /v1/docs: a page that renders /v1/openapi.json with Swagger UI, and its assets under
// /v1/docs/assets/, served from memory like GraphiQL's page (src/http/graphiql.ts): precompressed,
// strong ETags, a CSP that lets the page load only what this server serves.
import { isCurrent } from '../http/etag.js';
import { pickEncoding, precompressed, type Encoding, type Variant } from '../http/precompressed.js';
import { loadDocsFiles, type Asset, type DocsFiles } from './docs-assets.js';
import { errorResponse, methodNotAllowed, restError } from './envelope.js';
import type { RestExtra } from './plugin.js';
import { REST_PREFIX } from './prefix.js';

export const DOCS_PATH = `${REST_PREFIX}/docs`;
const ASSETS_PREFIX = `${DOCS_PATH}/assets/`;
const ALLOW = 'GET, HEAD';

// Scripts and styles only from files (this server's): no inline script, no eval, no inline
// <style>. data: images are Swagger UI's icons, inlined in its stylesheet. connect-src: the
// document, and "Try it out" requests to this same API.
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The page: no-cache (stored, but asked again each time), so a deploy's new page shows on the next load. */
const PAGE_CACHE_CONTROL = 'no-cache';
/** Assets are named after their content: a new version is a new URL, so a copy never goes stale. */
const ASSET_CACHE_CONTROL = 'public, max-age=31536000, immutable';

type Representation = (encoding: Encoding) => Promise<Variant<Asset>>;

/** Answers the docs page and its assets (RestOptions.extras); null for any other path. */
export function createDocsPage(): RestExtra {
  const files = docsRepresentations();
  return ({ request, url, requestId }) => {
    const { pathname } = url;
    const isPage = pathname === DOCS_PATH;
    if (!isPage && !pathname.startsWith(ASSETS_PREFIX)) return null;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return Promise.resolve(errorResponse(methodNotAllowed(request.method, ALLOW), requestId, request));
    }
    if (isPage) return answer(request, files.page, PAGE_CACHE_CONTROL);
    return files
      .asset(pathname.slice(ASSETS_PREFIX.length))
      .then((asset) =>
        asset
          ? answer(request, asset, ASSET_CACHE_CONTROL)
          : errorResponse(restError('NOT_FOUND', `Nothing at ${pathname.slice(0, 200)}: not a file of the docs page.`), requestId, request),
      );
  };
}

/** The page and each asset, loaded on the first request for any of them, compressed on demand. */
function docsRepresentations(): { page: Representation; asset(name: string): Promise<Representation | undefined> } {
  let loaded: Promise<DocsFiles> | undefined;
  const loadFiles = () =>
    (loaded ??= loadDocsFiles()).catch((error: unknown) => {
      loaded = undefined; // not kept: the next request tries again
      throw error;
    });
  const page = precompressed(async () => ({
    bytes: (await loadFiles()).page,
    contentType: 'text/html; charset=utf-8',
    compressible: true,
  }));
  const assets = new Map<string, Representation>();
  return {
    page,
    async asset(name) {
      const asset = (await loadFiles()).assets.get(name);
      if (!asset) return undefined;
      let representation = assets.get(name);
      if (!representation) assets.set(name, (representation = precompressed(() => Promise.resolve(asset))));
      return representation;
    },
  };
}

async function answer(request: Request, representation: Representation, cacheControl: string): Promise<Response> {
  const { body, etag, encoding, contentType } = await representation(pickEncoding(request.headers.get('accept-encoding')));
  const headers: Record<string, string> = { etag, 'cache-control': cacheControl, vary: 'Accept-Encoding' };
  if (isCurrent(request.headers.get('if-none-match'), etag)) return new Response(null, { status: 304, headers });
  if (encoding !== 'identity') headers['content-encoding'] = encoding;
  headers['content-type'] = contentType;
  headers['content-length'] = String(body.length);
  headers['x-content-type-options'] = 'nosniff'; // a script or stylesheet only if served as one
  if (contentType.startsWith('text/html')) headers['content-security-policy'] = CONTENT_SECURITY_POLICY;
  return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers });
}

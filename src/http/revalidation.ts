// HTTP revalidation for queries over GET /graphql (the contract's "Caching"): a successful answer
// carries a strong ETag of its body, and the same request with If-None-Match of it gets 304 with
// no body. The query still runs (and is charged): a 304 saves the client the transfer, and a
// cache in front of the server the copy. Cache-Control as ./cache-control.ts says; an answer with
// errors is `no-cache` whoever asks. Last in the plugin list, so that the headers the others
// set (X-Request-ID, X-RateLimit-*, Deprecation) are on the answer it revalidates.
import type { Plugin } from 'graphql-yoga';
import { mergeVary } from './vary.js';
import { isCurrent, strongEtag } from './etag.js';
import type { CacheControl } from './cache-control.js';

const JSON_TYPES = /^application\/(graphql-response\+)?json/;

export function useRevalidation(graphqlPath: string, cacheControl: CacheControl): Plugin {
  // Requests whose result had errors, told by the result itself rather than by parsing the body again.
  const erred = new WeakSet<Request>();
  return {
    onResultProcess({ request, result }) {
      if (request.method === 'GET' && !Array.isArray(result) && 'errors' in result && result.errors?.length) erred.add(request);
    },
    onResponse({ request, response, setResponse, fetchAPI }) {
      if (request.method !== 'GET' || response.status !== 200 || !JSON_TYPES.test(response.headers.get('content-type') ?? '')) return;
      if (new URL(request.url).pathname !== graphqlPath) return;
      return response.text().then((body) => {
        const headers = new fetchAPI.Headers(response.headers);
        const isErred = erred.has(request);
        headers.set('Cache-Control', isErred && !request.headers.has('authorization') ? 'no-cache' : cacheControl(request));
        headers.set('Vary', mergeVary(headers.get('vary'), 'Authorization'));
        // An answer with errors is not a version of anything: it is not revalidated.
        if (!isErred) {
          const etag = strongEtag(body);
          headers.set('ETag', etag);
          if (isCurrent(request.headers.get('if-none-match'), etag)) {
            headers.delete('content-type');
            headers.delete('content-length');
            setResponse(new fetchAPI.Response(null, { status: 304, headers }));
            return;
          }
        }
        setResponse(new fetchAPI.Response(body, { status: 200, headers }));
      });
    },
  };
}

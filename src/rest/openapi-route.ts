// GET /v1/openapi.json: the generated OpenAPI document (./openapi.ts), built on first request and
// kept: it depends only on the code. Revalidated by ETag.
import type { GraphQLSchema } from 'graphql';
import type { DeprecationRegistry } from '../api/deprecation-registry.js';
import { errorResponse, methodNotAllowed } from './envelope.js';
import { isCurrent, strongEtag } from '../http/etag.js';
import { openApiJson } from './openapi.js';
import type { RestExtra } from './plugin.js';

export const OPENAPI_PATH = '/v1/openapi.json';

export function openApiRoute(schema: GraphQLSchema, deprecations: DeprecationRegistry): RestExtra {
  let served: { body: string; etag: string } | undefined;
  return ({ request, url, requestId }) => {
    if (url.pathname !== OPENAPI_PATH) return null;
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return errorResponse(methodNotAllowed(request.method, 'GET, HEAD'), requestId, request);
    if (!served) {
      const body = openApiJson(schema, deprecations);
      served = { body, etag: strongEtag(body) };
    }
    const headers = { etag: served.etag, 'cache-control': 'no-cache', 'content-type': 'application/json; charset=utf-8' };
    if (isCurrent(request.headers.get('if-none-match'), served.etag)) return new Response(null, { status: 304, headers });
    return new Response(request.method === 'HEAD' ? null : served.body, { status: 200, headers });
  };
}

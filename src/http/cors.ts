// CORS as the contract says: the origins in CORS_ORIGINS (any outside production when unset,
// none in production), the request headers a front-end sends, and the response headers it reads.
import type { CORSOptions } from 'graphql-yoga';
import type { Config } from '../config.js';
import { isRestPath } from '../rest/prefix.js';

const allowed: CORSOptions = {
  // '*' makes yoga echo the request's Origin with Vary: Origin, which caches correctly.
  origin: '*',
  methods: ['GET', 'POST', 'OPTIONS'],
  allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-ID'],
  exposedHeaders: ['X-Request-ID', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'Retry-After', 'Idempotency-Replay'],
  credentials: false,
  maxAge: 600,
};

/** REST v1 (src/rest/) takes more methods, revalidates with If-None-Match, and answers with more headers a client reads. */
const allowedRest: CORSOptions = {
  ...allowed,
  methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
  allowedHeaders: [...allowed.allowedHeaders!, 'If-None-Match'],
  exposedHeaders: [...allowed.exposedHeaders!, 'ETag', 'Location', 'Link', 'Deprecation', 'Sunset'],
};

/**
 * Per request: an origin that is not allowed gets no CORS headers at all (yoga's own list
 * handling would answer `Access-Control-Allow-Origin: null`, which sandboxed pages match).
 */
export function corsOptions(config: Config): (request: Request) => CORSOptions {
  const origins = config.http.corsOrigins;
  const permitted = origins === null ? null : new Set(origins);
  return (request) => {
    if (permitted && !permitted.has(request.headers.get('origin') ?? '')) return false;
    return isRestPath(new URL(request.url).pathname) ? allowedRest : allowed;
  };
}

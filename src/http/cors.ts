// CORS as the contract says: the origins in CORS_ORIGINS (any outside production when unset,
// none in production), the request headers a front-end sends, and the response headers it reads.
import type { CORSOptions } from 'graphql-yoga';
import type { Config } from '../config.js';

const allowed: CORSOptions = {
  // '*' makes yoga echo the request's Origin with Vary: Origin, which caches correctly.
  origin: '*',
  methods: ['GET', 'POST', 'OPTIONS'],
  allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-ID'],
  exposedHeaders: ['X-Request-ID', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'Retry-After', 'Idempotency-Replay'],
  credentials: false,
  maxAge: 600,
};

/**
 * Per request: an origin that is not allowed gets no CORS headers at all (yoga's own list
 * handling would answer `Access-Control-Allow-Origin: null`, which sandboxed pages match).
 */
export function corsOptions(config: Config): (request: Request) => CORSOptions {
  const origins = config.http.corsOrigins;
  if (origins === null) return () => allowed;
  const permitted = new Set(origins);
  return (request) => (permitted.has(request.headers.get('origin') ?? '') ? allowed : false);
}

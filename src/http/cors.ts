// CORS as the contract says: the origins in CORS_ORIGINS (any outside production when unset,
// none in production), the request headers a front-end sends, and the response headers it reads.
import type { CORSOptions } from 'graphql-yoga';
import type { Config } from '../config.js';

export function corsOptions(config: Config): CORSOptions {
  const origins = config.http.corsOrigins;
  if (origins !== null && origins.length === 0) return false;
  return {
    origin: origins ? [...origins] : '*',
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-ID'],
    exposedHeaders: ['X-Request-ID', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'Retry-After', 'Idempotency-Replay'],
    credentials: false,
    maxAge: 600,
  };
}

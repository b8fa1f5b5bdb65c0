// The per-request context: everything a resolver may use. Loaders are made here and only here,
// once per request, so no cache outlives the request that filled it.
import type { Credentials } from './auth/credentials.js';
import type { TokenConfig } from './auth/token.js';
import type { Db } from './db/client.js';
import { createLoaders, type LoaderOptions, type Loaders } from './loaders/index.js';
import type { Log } from './log.js';

/**
 * The signed-in user, from a verified token. Before any resolver runs, useAuthentication checks
 * that the user still exists and the token was not revoked (src/http/authentication.ts).
 */
export type Viewer = { id: number; tokenVersion: number };

export type Context = {
  db: Db;
  loaders: Loaders;
  credentials: Credentials;
  viewer: Viewer | null;
  tokens: TokenConfig;
  requestId: string;
  log: Log;
};

export type ContextInput = {
  db: Db;
  log: Log;
  requestId: string;
  credentials: Credentials;
  tokens: TokenConfig;
  loaderOptions?: LoaderOptions;
};

export function createContext(input: ContextInput): Context {
  const viewer = input.credentials.kind === 'token' ? { id: input.credentials.claims.userId, tokenVersion: input.credentials.claims.tokenVersion } : null;
  return {
    db: input.db,
    loaders: createLoaders(input.db, viewer, input.loaderOptions),
    credentials: input.credentials,
    viewer,
    tokens: input.tokens,
    requestId: input.requestId,
    log: input.log,
  };
}

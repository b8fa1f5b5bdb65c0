// The per-request context: everything a resolver may use. Loaders are made here and only here,
// once per request, so no cache outlives the request that filled it.
import type { Db } from './db/client.js';
import { createLoaders, type LoaderOptions, type Loaders } from './loaders/index.js';
import type { Log } from './log.js';

/** The signed-in user; accounts arrive with tokens, until then every caller is anonymous. */
export type Viewer = { id: number };

export type Context = {
  db: Db;
  loaders: Loaders;
  viewer: Viewer | null;
  requestId: string;
  log: Log;
};

export function createContext(input: { db: Db; log: Log; requestId: string; viewer: Viewer | null; loaderOptions?: LoaderOptions }): Context {
  return {
    db: input.db,
    loaders: createLoaders(input.db, input.loaderOptions),
    viewer: input.viewer,
    requestId: input.requestId,
    log: input.log,
  };
}

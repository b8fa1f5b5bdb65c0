// The per-request context: everything a resolver may use. Loaders are made here and only here,
// once per request (for a subscription: once per event), so no cache outlives what filled it.
import { RequestCache } from '@pothos/plugin-scope-auth';
import type { Credentials } from './auth/credentials.js';
import type { TokenConfig } from './auth/token.js';
import type { Viewer } from './auth/viewer.js';
import type { Db } from './db/client.js';
import { eventLoaders, type EventLoaders } from './loaders/event.js';
import type { LoaderFactory, Loaders } from './loaders/index.js';
import type { RateLimitState } from './limits/rate-limit.js';
import type { Log } from './log.js';
import type { FanOut } from './realtime/fan-out.js';
import { countedDb } from './db/counted.js';
import { bindRecord, type RequestRecord } from './telemetry/request-record.js';

export type Context = {
  db: Db;
  loaders: Loaders;
  credentials: Credentials;
  viewer: Viewer | null;
  tokens: TokenConfig;
  requestId: string;
  log: Log;
  /** Makes `loaders` again whenever the request must forget what it read (forgetReads). */
  loaderFactory: LoaderFactory;
  /**
   * Subscription events: publish after a write commits; subscribe from a subscription field. In a
   * request with several mutation fields, publishing is held until the request's transaction commits.
   */
  pubsub: FanOut;
  /** The WebSocket an operation came on (src/realtime/ws.ts); null over HTTP and SSE. */
  socket: { close(code: number, reason: string): void } | null;
  /** The token's check against its user (src/auth/authentication.ts), made once per request; null until asked. */
  viewerCheck: Promise<Error | null> | null;
  /** The budget the guard charged before execution (src/limits/plugin.ts): what Query.rateLimit answers. */
  rateLimit: RateLimitState | null;
  /** The tags (src/cache/tags.ts) of everything the loaders read: what a cached answer depends on. */
  dependsOn: Set<string>;
  /** The tags of what the mutations committed: dropped from the response cache before the response goes. */
  changed: Set<string>;
  /** The HTTP request's record (src/telemetry/request-record.ts): null over WebSocket, or with telemetry off. */
  telemetry: RequestRecord | null;
};

export type ContextInput = {
  db: Db;
  log: Log;
  requestId: string;
  credentials: Credentials;
  tokens: TokenConfig;
  loaderFactory: LoaderFactory;
  pubsub: FanOut;
  socket?: Context['socket'];
  telemetry?: RequestRecord;
};

export function createContext(input: ContextInput): Context {
  const viewer =
    input.credentials.kind === 'token'
      ? { id: input.credentials.claims.userId, tokenVersion: input.credentials.claims.tokenVersion }
      : null;
  const dependsOn = new Set<string>();
  const telemetry = input.telemetry ?? null;
  // The request's own handle: its statements are counted for it, and its loaders know whose they are.
  const db = telemetry ? countedDb(input.db, () => telemetry.statements++) : input.db;
  if (telemetry) bindRecord(db, telemetry);
  return {
    db,
    loaders: input.loaderFactory.create(db, viewer, dependsOn),
    credentials: input.credentials,
    viewer,
    tokens: input.tokens,
    requestId: input.requestId,
    log: input.log,
    loaderFactory: input.loaderFactory,
    pubsub: input.pubsub,
    socket: input.socket ?? null,
    viewerCheck: null,
    rateLimit: null,
    dependsOn,
    changed: new Set(),
    telemetry,
  };
}

/** The loaders of one subscription event, made once per event and instance (src/realtime/fan-out.ts). */
export function createEventLoaders(db: Db, loaderFactory: LoaderFactory): EventLoaders {
  return eventLoaders(db, loaderFactory);
}

/** A subscription resolves each event with that event's loaders, as this subscriber's viewer. */
export function useEventLoaders(ctx: Context, loaders: EventLoaders): void {
  ctx.loaders = loaders.forViewer(ctx.viewer);
}

/**
 * After a write: forget everything this request has read, so the fields resolved after it (the
 * mutation's own selection, later mutations of the document) see the write: counts, flags and
 * pages a write can change are many, and naming each one to clear is how one gets missed.
 */
export function forgetReads(ctx: Context): void {
  ctx.loaders = ctx.loaderFactory.create(ctx.db, ctx.viewer, ctx.dependsOn);
}

/**
 * From now on the request reads and writes through `db`: a multi-field mutation's transaction
 * (src/http/atomic-mutations.ts), then the database again once it has ended. The loaders are
 * remade on it, so that no read goes around the transaction: on PGlite, whose one connection
 * the transaction holds, such a read would wait for the transaction, and it for the read.
 */
export function runOn(ctx: Context, db: Db): void {
  ctx.db = db;
  if (ctx.telemetry) bindRecord(db, ctx.telemetry);
  forgetReads(ctx);
}

/**
 * After createUser or logIn, the rest of the response is read as the user who just signed in
 * (their email, their viewer flags), as it would be with their token; after logOut or deleteUser,
 * as nobody (null), as it would be with the token that just stopped working. The access rules
 * answered so far were the previous viewer's: they are asked again (src/auth/scopes.ts).
 */
export function actAs(ctx: Context, viewer: Viewer | null): void {
  ctx.viewer = viewer;
  RequestCache.clearForContext(ctx);
  forgetReads(ctx);
}

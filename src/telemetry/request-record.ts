// What one HTTP request is doing, kept on yoga's server context (one object per request, which
// REST's inner request shares): the SQL statements it sent (counted by its own database handle,
// src/db/counted.ts), its operation, cost and viewer for its log line, and where its loader
// batches are reported. A property, not an AsyncLocalStorage: on Node 20 one makes every promise
// of every request dearer, and the bench measured 0.62–0.89× the requests per second with it.
import type { DocumentNode } from 'graphql';
import type { Db } from '../db/database.js';

/** Told of each DataLoader batch: the metrics' histogram, and a span when tracing is on. */
export type BatchObserver = <T>(loader: string, size: number, run: () => Promise<T>) => Promise<T>;

export type RequestRecord = {
  /** The request this record was opened for: REST runs its operation as a second, inner request. */
  readonly request: Request;
  readonly startedAt: number;
  readonly observeBatch: BatchObserver;
  statements: number;
  /** The operation's name as the document gives it (or as the params did, before parsing). */
  operationName: string | null;
  /** query, mutation or subscription: null until the document is parsed. */
  operationType: string | null;
  /** The REST route that ran the operation (`GET /v1/posts/{id}`); null for /graphql. */
  route: string | null;
  /** Cost points the guards charged; null when refused before. */
  cost: number | null;
  /** The viewer the operation ran as, from its token. */
  userId: number | null;
  /** extensions.code of every error answered, in order. */
  errorCodes: string[];
  /** The executed operation's document, kept for the slow-operation log. */
  document: DocumentNode | null;
};

/** Operation names (and other strings a client chose) in log lines and spans: kept whole up to this. */
const MAX_NAME_LENGTH = 100;

/** A name a client chose, as log lines and spans show it: cut at MAX_NAME_LENGTH characters. */
export function clipName<T extends string | null>(name: T): T {
  return (name !== null && name.length > MAX_NAME_LENGTH ? name.slice(0, MAX_NAME_LENGTH) : name) as T;
}

const RECORD = Symbol('request record');
type Holder = { [RECORD]?: RequestRecord };

/** The record of the request whose server context this is, opened now unless it was already (REST's inner request). */
export function openRecord(serverContext: object, request: Request, observeBatch: BatchObserver): RequestRecord {
  return ((serverContext as Holder)[RECORD] ??= {
    request,
    startedAt: performance.now(),
    observeBatch,
    statements: 0,
    operationName: null,
    operationType: null,
    route: null,
    cost: null,
    userId: null,
    errorCodes: [],
    document: null,
  });
}

/** The record on a server context (or a context made from it); undefined when telemetry is off. */
export function recordOf(context: object | null | undefined): RequestRecord | undefined {
  return (context as Holder | null | undefined)?.[RECORD];
}

/**
 * Which request a database handle serves (src/db/counted.ts), for the loaders, which only have the
 * handle: a property of the handle, made for this request (or its transaction) alone.
 */
export function bindRecord(db: Db, record: RequestRecord): void {
  (db as unknown as Holder)[RECORD] = record;
}

export function recordOfDb(db: Db): RequestRecord | undefined {
  return (db as unknown as Holder)[RECORD];
}

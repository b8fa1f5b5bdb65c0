// What one request is doing, readable from anywhere beneath it without passing it down: the SQL
// statements it sent (counted by the driver's hook, src/db/client.ts), its operation, cost and
// viewer for its log line, and where its loader batches are reported. Node's AsyncLocalStorage
// carries the record through every await of the request, and only that request's.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DocumentNode } from 'graphql';

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

const scope = new AsyncLocalStorage<RequestRecord>();

/** The record of the request running now, or undefined outside one (startup, subscription events). */
export function currentRequest(): RequestRecord | undefined {
  return scope.getStore();
}

/** Runs `fn` (the whole handling of `request`) with a fresh record as the current one. */
export function inRequestScope<T>(request: Request, observeBatch: BatchObserver, fn: () => T): T {
  const record: RequestRecord = {
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
  };
  return scope.run(record, fn);
}

/** Counts one statement against the current request (a no-op outside one). */
export function countStatement(): void {
  const record = scope.getStore();
  if (record) record.statements++;
}

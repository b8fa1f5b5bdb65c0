// Persisted operations, in one of three modes (PERSISTED_OPERATIONS):
//  - "apq" (default): Apollo's automatic persisted queries, by yoga's APQ plugin, beside any
//    document. A hash alone that the server does not know → PERSISTED_QUERY_NOT_FOUND; a hash with
//    its query → the query is stored and runs; a hash that is not the query's → PERSISTED_QUERY_MISMATCH;
//    both with HTTP 200, which APQ client links expect (they then send the query along).
//  - "only": a trusted-documents server. Only the manifest's operations run
//    (PERSISTED_OPERATIONS_MANIFEST: sha256 hex of a document → the document, built from .graphql
//    files by `npm run persisted:build`); anything else → PERSISTED_QUERY_ONLY (400).
//  - "off": neither.
// resolvePersistedOnly() works on the raw request parameters, so the WebSocket transport, which
// has no yoga onParams hook, calls it too.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { useAPQ, type APQStore } from '@graphql-yoga/plugin-apq';
import { LRUCache } from 'lru-cache';
import type { Config } from '../config.js';
import { persistedQueryMismatch, persistedQueryOnly } from '../errors.js';
import { isRestOperation } from '../rest/trusted.js';

/** @default 10 MiB of stored APQ documents per process (least recently used go first). */
const APQ_STORE_MAX_CHARS = 10 * 1024 * 1024;

export type OperationParams = { query?: string | null; extensions?: Record<string, unknown> | null };
export type Manifest = ReadonlyMap<string, string>;

export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Reads and checks a manifest: every key must be the sha256 of its document. */
export function loadManifest(path: string): Manifest {
  const entries = Object.entries(JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>);
  for (const [hash, document] of entries) {
    if (typeof document !== 'string' || sha256Hex(document) !== hash) {
      throw new Error(`${path}: the entry ${hash} is not the sha256 of its document; rebuild it with npm run persisted:build`);
    }
  }
  return new Map(entries as [string, string][]);
}

/**
 * Under PERSISTED_OPERATIONS=only: the document to run for these parameters, or the error to
 * answer with. A request may name its operation by hash (extensions.persistedQuery.sha256Hash),
 * or send a document whose hash is in the manifest.
 */
export function resolvePersistedOnly(manifest: Manifest, params: OperationParams): { query: string } | GraphQLError {
  const persisted = params.extensions?.persistedQuery as { version?: unknown; sha256Hash?: unknown } | undefined;
  const hash = persisted?.version === 1 && typeof persisted.sha256Hash === 'string' ? persisted.sha256Hash : null;
  const query = typeof params.query === 'string' && params.query !== '' ? params.query : null;
  if (hash !== null && query !== null && sha256Hex(query) !== hash) return persistedQueryMismatch();
  const document = manifest.get(hash ?? (query === null ? '' : sha256Hex(query)));
  return document === undefined ? persistedQueryOnly() : { query: document };
}

/** The yoga side: APQ, or the manifest check (resolvePersistedOnly, bound to the manifest) on every request's params. */
export function usePersistedOperations(
  mode: Config['persistedOperations']['mode'],
  resolvePersisted: ((params: OperationParams) => { query: string } | GraphQLError) | null,
): Plugin {
  if (resolvePersisted) {
    return {
      onParams({ request, params, setParams }) {
        if (isRestOperation(request)) return; // a REST route's own document (src/rest/trusted.ts)
        const resolved = resolvePersisted(params);
        if (resolved instanceof Error) throw resolved;
        setParams({ ...params, query: resolved.query });
      },
    };
  }
  return mode === 'apq' ? useAPQ({ store: createAPQStore(APQ_STORE_MAX_CHARS), responseConfig: { forceStatusCodeOk: true } }) : {};
}

/**
 * In memory, bounded by total size rather than count: a stored document may be up to the body
 * limit, and the APQ plugin stores it before it is parsed. A document larger than the whole
 * store is not kept.
 */
function createAPQStore(maxChars: number): APQStore {
  // lru-cache refuses a size of 0, and the APQ plugin stores an empty query too (yoga then refuses it).
  const documents = new LRUCache<string, string>({ maxSize: maxChars, sizeCalculation: (document) => Math.max(1, document.length) });
  return {
    get: (hash) => documents.get(hash),
    set(hash, document) {
      // Only a read makes a document the most recent; the same query sent again with its hash does not.
      if (!documents.has(hash)) documents.set(hash, document);
    },
  };
}

// Reads whose SQL is built once and run many times. Drizzle builds a query's text from its
// builder on every call; for a page with its counts and authors that took ~200 µs, a tenth of
// the request (bench/RESULTS.md). A read here is built once per database and *key*, the key
// naming everything that changes its text (which derived values, whether there is a cursor…),
// and what changes per call travels as placeholders: `sql.placeholder('ids')`, filled by execute.
import type { Db } from './client.js';

export type PreparedRead<R> = { execute(values: Record<string, unknown>): Promise<R> };
type Preparable<R> = { prepare(name: string): PreparedRead<R> };

/**
 * @default 500 statements per database, as many as the pg client names (db/client.ts): the
 * shapes a selection can take are far fewer; past it a read is built per call, as before.
 */
const MAX_PREPARED = 500;
const byDatabase = new WeakMap<Db, Map<string, PreparedRead<unknown>>>();

/**
 * The read of `key` on `db`, built by `build` the first time. Keyed by `db` too: a transaction is
 * a database of its own, and a read prepared on it runs on its connection.
 */
export function prepared<R>(db: Db, key: string, build: () => Preparable<R>): PreparedRead<R> {
  let reads = byDatabase.get(db);
  if (!reads) byDatabase.set(db, (reads = new Map()));
  let read = reads.get(key) as PreparedRead<R> | undefined;
  if (!read) {
    // Unnamed for drizzle: the pg client names each statement by its text (db/client.ts), which
    // keeps one name per text on every connection of the pool.
    read = build().prepare('');
    if (reads.size < MAX_PREPARED) reads.set(key, read);
  }
  return read;
}

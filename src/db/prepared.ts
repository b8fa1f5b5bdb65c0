// Reads whose SQL is built once and run many times. Drizzle builds a query's text from its
// builder on every call; for a page with its counts and authors that took ~200 µs, a tenth of
// the request (bench/RESULTS.md). A read here is built once per database and *shape*, and what
// changes per call travels as placeholders: `sql.placeholder('ids')`, filled by execute.
//
// The shape is a plain object of exactly the inputs its text depends on (which derived values,
// whether there is a cursor…), and it is all the builder gets: an input left out of it cannot
// reach the SQL, so two texts can never share one prepared read under one key.
import { configure } from 'safe-stable-stringify';
import type { Db } from './client.js';

export type PreparedRead<R> = { execute(values: Record<string, unknown>): Promise<R> };
type Preparable<R> = { prepare(name: string): PreparedRead<R> };

/** What may shape a read's text: JSON values, never an id or anything else that is a placeholder's. */
export type SqlShapeValue = string | number | boolean | null | readonly SqlShapeValue[] | { readonly [key: string]: SqlShapeValue };
export type SqlShape = Readonly<Record<string, SqlShapeValue>>;

/** Canonical: the same shape gives the same text whatever the order its keys were written in. */
const canonical = configure({ deterministic: true, strict: true });

/**
 * @default 500 statements per database, as many as the pg client names (db/client.ts): the
 * shapes a selection can take are far fewer; past it a read is built per call, as before.
 */
const MAX_PREPARED = 500;
// Per database, not per request: what is kept is built SQL, the same for every request. A
// transaction is a database of its own (a read prepared on it runs on its connection); its
// entry goes with it.
const byDatabase = new WeakMap<Db, Map<string, PreparedRead<unknown>>>();
let definitions = 0;

/**
 * A read built by `build` from `shape` alone, once per database and distinct shape. Define it at
 * module level, so that `build` closes over nothing that varies per call.
 */
export function preparedRead<S extends SqlShape, R>(build: (db: Db, shape: S) => Preparable<R>): (db: Db, shape: S) => PreparedRead<R> {
  const definition = ++definitions;
  return (db, shape) => {
    let reads = byDatabase.get(db);
    if (!reads) byDatabase.set(db, (reads = new Map<string, PreparedRead<unknown>>()));
    const key = `${definition}:${canonical(shape)}`;
    let read = reads.get(key) as PreparedRead<R> | undefined;
    if (!read) {
      // Unnamed for drizzle: the pg client names each statement by its text (db/client.ts), which
      // keeps one name per text on every connection of the pool.
      read = build(db, shape).prepare('');
      if (reads.size < MAX_PREPARED) reads.set(key, read);
    }
    return read;
  };
}

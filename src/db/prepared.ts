// Reads whose SQL is built once and run many times. Drizzle builds a query's text from its
// builder on every call; for a page with its counts and authors that took ~200 µs, a tenth of
// the request (bench/RESULTS.md). A read here is built once per *shape*, and what changes per
// call travels as placeholders: `sql.placeholder('ids')`, filled by execute.
//
// The shape is a plain object of exactly the inputs its text depends on (which derived values,
// whether there is a cursor…), and it is all the builder gets: an input left out of it cannot
// reach the SQL, so two texts can never share one prepared read under one key.
//
// Drizzle builds the text and says which placeholder each parameter is; the statement then runs
// straight on the driver (db/driver-rows.ts), its rows made into objects by a mapper compiled
// from the selection (db/row-mapper.ts): drizzle's per-cell mapping was 14–16 % of a deep page's
// CPU (issue 13). Writes, and reads outside this module, stay with drizzle.
import { configure } from 'safe-stable-stringify';
import { is, Param, Placeholder } from 'drizzle-orm';
import type { Db } from './client.js';
import { queryRows } from './driver-rows.js';
import { compileRowMapper, type RowMapper } from './row-mapper.js';

export type PreparedRead<R> = { execute(values: Record<string, unknown>): Promise<R> };

/**
 * What a read's builder returns: a drizzle select (its type gives the rows'), with the text,
 * parameters and selection it would prepare.
 */
type Preparable<R> = {
  prepare(name: string): PreparedRead<R>;
  toSQL(): { sql: string; params: unknown[] };
  _: { selectedFields: Readonly<Record<string, unknown>> };
};

/** What may shape a read's text: JSON values, never an id or anything else that is a placeholder's. */
export type SqlShapeValue = string | number | boolean | null | readonly SqlShapeValue[] | { readonly [key: string]: SqlShapeValue };
export type SqlShape = Readonly<Record<string, SqlShapeValue>>;

/** A read's text, how to fill its parameters from execute's values, and how to map its rows. */
type Statement = { text: string; params: (values: Record<string, unknown>) => unknown[]; mapRow: RowMapper };

/** Canonical: the same shape gives the same text whatever the order its keys were written in. */
const canonical = configure({ deterministic: true, strict: true });

/**
 * @default 500 statements, as many as the pg client names (db/client.ts): the shapes a selection
 * can take are far fewer; past it a read is built per call, as before.
 */
const MAX_PREPARED = 500;
// Per process, not per database or request: a text and its mapper are the same for every
// database (one dialect), so a transaction's reads reuse them; each call runs on the database
// it is given, a transaction's on its connection.
const statements = new Map<string, Statement>();
let definitions = 0;

/**
 * A read built by `build` from `shape` alone, once per distinct shape. Define it at module level,
 * so that `build` closes over nothing that varies per call.
 */
export function preparedRead<S extends SqlShape, R>(build: (db: Db, shape: S) => Preparable<R>): (db: Db, shape: S) => PreparedRead<R> {
  const definition = ++definitions;
  return (db, shape) => {
    const key = `${definition}:${canonical(shape)}`;
    let statement = statements.get(key);
    if (!statement) {
      statement = compile(build(db, shape));
      if (statements.size < MAX_PREPARED) statements.set(key, statement);
    }
    const { text, params, mapRow } = statement;
    return { execute: async (values) => (await queryRows(db, text, params(values))).map(mapRow) as R };
  };
}

function compile(query: Preparable<unknown>): Statement {
  const joins = (query as { joinsNotNullableMap?: Record<string, boolean> }).joinsNotNullableMap ?? {};
  if (Object.values(joins).includes(false)) throw new Error('A prepared read maps the rows of inner joins only (db/row-mapper.ts).');
  const { sql, params } = query.toSQL();
  return { text: sql, params: compileParams(params), mapRow: compileRowMapper(query._.selectedFields) };
}

/** drizzle's fillPlaceholders, its per-parameter `is()` done once: each parameter's value, or its placeholder's. */
function compileParams(params: unknown[]): (values: Record<string, unknown>) => unknown[] {
  const fills = params.map((param): ((values: Record<string, unknown>) => unknown) => {
    if (is(param, Placeholder)) return (values) => valueOf(values, param.name);
    if (is(param, Param) && is(param.value, Placeholder)) {
      const { encoder, value } = param as Param & { value: Placeholder };
      return (values) => encoder.mapToDriverValue(valueOf(values, value.name));
    }
    return () => param;
  });
  return (values) => fills.map((fill) => fill(values));
}

function valueOf(values: Record<string, unknown>, name: string): unknown {
  if (!(name in values)) throw new Error(`No value for placeholder "${name}" was provided`);
  return values[name];
}

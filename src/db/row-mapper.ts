// Rows of a prepared read (db/prepared.ts) made into objects by a function compiled once per
// shape, instead of drizzle's mapper, which asks `is()` of every cell's field for its decoder and
// walks its path: 14–16 % of the CPU of a deep page (issue 13). The compiled function is one object
// literal per row, nested objects included (a post's `author`), with a decoder only where a
// column needs one, and its values are drizzle's own: the driver hands timestamps over as text
// (db/driver-rows.ts) and the column's mapping makes them Dates.
import { Column, getTableColumns, is, noopDecoder, SQL, Subquery, Table, type DriverValueDecoder } from 'drizzle-orm';
import { PgInteger, PgText, PgTimestamp } from 'drizzle-orm/pg-core';

export type RowMapper = (row: unknown[]) => Record<string, unknown>;

/** A selected field: a column, an SQL expression (aliased or not), a subquery, a table or an object of them. */
type Field = Column | SQL | SQL.Aliased | Subquery;
type Selection = Readonly<Record<string, unknown>>;

/** How a cell becomes a value: as the driver gave it, a timestamp's Date, or through its decoder. */
type Decoding = { kind: 'raw' } | { kind: 'date' } | { kind: 'decode'; decode: (value: unknown) => unknown };

/**
 * The mapper of a select whose list is `fields` (its selectedFields): cell i of a row is the i-th
 * field in drizzle's own order (orderSelectedFields: the keys' order, depth first), as the
 * select's text lists them. Inner joins only: drizzle turns a left-joined table that matched
 * nothing into null, this does not, so a read that needs it must stay with drizzle's mapper.
 */
export function compileRowMapper(fields: Selection): RowMapper {
  const decoders: ((value: unknown) => unknown)[] = [];
  let index = 0;
  const literal = (selection: Selection): string => {
    const entries = Object.entries(selection).map(([key, field]) => {
      if (isLeaf(field)) return `${JSON.stringify(key)}: ${cell(index++, decodingOf(field))}`;
      const nested = is(field, Table) ? getTableColumns(field) : (field as Selection);
      return `${JSON.stringify(key)}: ${literal(nested)}`;
    });
    return `{ ${entries.join(', ')} }`;
  };
  const cell = (i: number, decoding: Decoding): string => {
    if (decoding.kind === 'raw') return `r[${i}]`;
    if (decoding.kind === 'date') return `(r[${i}] === null ? null : new Date(r[${i}]))`;
    decoders[i] = decoding.decode;
    return `(r[${i}] === null ? null : d[${i}](r[${i}]))`;
  };
  const body = literal(fields);
  // One literal per shape: every row gets the same hidden class, and no per-cell lookups remain.
  // The keys are JSON-quoted names from our own selections, never input.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const make = new Function('d', `return (r) => (${body});`) as (d: typeof decoders) => RowMapper;
  return make(decoders);
}

const isLeaf = (field: unknown): field is Field => is(field, Column) || is(field, SQL) || is(field, SQL.Aliased) || is(field, Subquery);

function decodingOf(field: Field): Decoding {
  const decoder = decoderOf(field);
  // The driver's value already is the field's: pg and PGlite parse int4, text and booleans
  // themselves; a count is `count(*)::int`, a flag a boolean, both without a decoder.
  if (decoder === noopDecoder || is(decoder, PgInteger) || is(decoder, PgText)) return { kind: 'raw' };
  // PgTimestamp's own mapping, for the text the driver left it as.
  if (is(decoder, PgTimestamp) && decoder.withTimezone) return { kind: 'date' };
  return { kind: 'decode', decode: (value) => decoder.mapFromDriverValue(value) };
}

/** The decoder drizzle's mapResultRow would use for this field. */
function decoderOf(field: Field): DriverValueDecoder<unknown, unknown> {
  if (is(field, Column)) return field;
  const sqlOf = is(field, SQL) ? field : is(field, Subquery) ? field._.sql : field.sql;
  return (sqlOf as SQL & { decoder: DriverValueDecoder<unknown, unknown> }).decoder;
}

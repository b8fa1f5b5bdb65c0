// Runs a prepared read's statement on the driver under a drizzle database: the pg Pool (or, in a
// transaction, its connection) or PGlite (or its transaction), exactly as drizzle's own prepared
// query does, minus its row mapping: rows come back as arrays, timestamps as text, for the
// mapper compiled once per shape (db/row-mapper.ts). What the driver is opened with still
// applies: the statement names (db/client.ts), query_timeout, lost connections.
import type { Transaction as PgliteTransaction, PGliteInterface } from '@electric-sql/pglite';
import { DrizzleQueryError, type Logger } from 'drizzle-orm';
import pg from 'pg';
import type { Db } from './client.js';

type PgliteClient = PGliteInterface | PgliteTransaction;

/** What drizzle's session holds (node-postgres and PGlite alike): the driver's client, and our logger. */
type DriverSession = { client: pg.Pool | pg.PoolClient | PgliteClient; logger: Logger };

const { builtins } = pg.types;
/**
 * The types whose text drizzle keeps from the driver's parsers (its node-postgres and PGlite
 * sessions): timestamps, dates, intervals and arrays of them, numeric[]. Their columns map the
 * text (PgTimestamp: `new Date(text)`), so the values are drizzle's, not the driver's own parse.
 */
const KEPT_AS_TEXT = new Set<number>([
  builtins.TIMESTAMPTZ,
  builtins.TIMESTAMP,
  builtins.DATE,
  builtins.INTERVAL,
  1231,
  1115,
  1185,
  1187,
  1182,
]);
const asText = (value: string) => value;

const pgTypes: pg.CustomTypesConfig = {
  getTypeParser: (oid, format) => (KEPT_AS_TEXT.has(oid) ? asText : (pg.types.getTypeParser(oid, format) as unknown)),
};
const pgliteParsers = Object.fromEntries([...KEPT_AS_TEXT].map((oid) => [oid, asText]));

/**
 * The rows of `text` with `params`, one array of cells per row. Counted as every statement
 * drizzle sends is (Database.statementCount); a failure is wrapped as drizzle wraps it, the
 * driver's error as its cause (db/error-causes.ts), so that it is classified as before.
 */
export async function queryRows(db: Db, text: string, params: unknown[]): Promise<unknown[][]> {
  const { client, logger } = db._.session as unknown as DriverSession;
  logger.logQuery(text, params);
  try {
    if (client instanceof pg.Pool || client instanceof pg.Client) {
      const result = await client.query<unknown[]>({ text, values: params, rowMode: 'array', types: pgTypes });
      return result.rows;
    }
    const result = await client.query<unknown[]>(text, params, { rowMode: 'array', parsers: pgliteParsers });
    return result.rows;
  } catch (error) {
    throw new DrizzleQueryError(text, params, error as Error);
  }
}

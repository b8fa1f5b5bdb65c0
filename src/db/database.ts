// What an open database is, apart from how it is opened (db/client.ts, db/pglite.ts): both
// openers return it, and every read and write takes its drizzle handle, Db.
import type { PGlite } from '@electric-sql/pglite';
import type { Logger as DrizzleLogger } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import type * as schema from './schema.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export type Database = ({ driver: 'pg'; pool: pg.Pool } | { driver: 'pglite'; client: PGlite }) & {
  db: Db;
  /** Every statement sent through drizzle: tests and the bench read it to catch batching regressions. */
  readonly statementCount: number;
  /** Throws when the database does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
};

/** Counts every statement drizzle sends: Database.statementCount. */
export type StatementCounter = { logger: DrizzleLogger; count(): number };

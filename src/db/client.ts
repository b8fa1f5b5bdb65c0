// Opens the database: a pg Pool when DATABASE_URL is set, else embedded PGlite under DATA_DIR.
// Both are wrapped by drizzle's Postgres dialect, so the query code is the same for both.
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { Logger as DrizzleLogger } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import path from 'node:path';
import pg from 'pg';
import type { Config } from '../config.js';
import type { Log } from '../log.js';
import { lockDataDir } from './data-dir-lock.js';
import * as schema from './schema.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export type Database = (
  | { driver: 'pg'; pool: pg.Pool }
  | { driver: 'pglite'; client: PGlite }
) & {
  db: Db;
  /** Every statement sent through drizzle: tests and the bench read it to catch batching regressions. */
  readonly statementCount: number;
  /** Throws when the database does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
};

export async function openDatabase(config: Config, log: Log): Promise<Database> {
  let statementCount = 0;
  const logger: DrizzleLogger = { logQuery: () => void statementCount++ };
  const counted = () => statementCount;

  if (config.db.url) {
    const pool = new pg.Pool({
      connectionString: config.db.url,
      max: config.db.poolSize,
      // A pool that cannot hand out a connection in time fails the request (503) instead of
      // queueing it forever behind a stuck or unreachable database.
      connectionTimeoutMillis: config.db.connectTimeoutMs,
      statement_timeout: config.db.statementTimeoutMs,
      idleTimeoutMillis: 30_000,
      application_name: 'social-graphql',
    });
    // An idle client whose server went away emits 'error' on the pool; unhandled, it would
    // kill the process. The pool drops that client and connects afresh when asked.
    pool.on('error', (error) => log.warn({ err: error }, 'idle database connection lost'));
    const db = drizzlePg({ client: pool, schema, logger }) as unknown as Db;
    return {
      db,
      driver: 'pg',
      pool,
      get statementCount() { return counted(); },
      ping: async () => void (await pool.query('select 1')),
      close: () => pool.end(),
    };
  }

  const releaseLock = await lockDataDir(config.dataDir, log);
  try {
    const client = await PGlite.create(path.join(config.dataDir, 'pgdata'), { extensions: { pg_trgm } });
    const db = drizzlePglite({ client, schema, logger }) as unknown as Db;
    return {
      db,
      driver: 'pglite',
      client,
      get statementCount() { return counted(); },
      ping: async () => void (await client.query('select 1')),
      close: async () => {
        await client.close();
        await releaseLock();
      },
    };
  } catch (error) {
    await releaseLock();
    throw error;
  }
}

// The pg pool of a bench-only server (raw, floor, postgraphile): bench/'s own pg, the one the
// statement counter patches, and the bench's pool size, as ours gets it.
//
// env: DATABASE_URL, DATABASE_POOL_SIZE (@default 16 connections).
import pg from 'pg';

/** `name` shows in pg_stat_activity's application_name, to tell the servers' connections apart. */
export const createPool = (name) =>
  new pg.Pool({
    connectionString: process.env.DATABASE_URL,
    max: Number(process.env.DATABASE_POOL_SIZE ?? 16),
    application_name: `social-graphql-bench-${name}`,
  });

// Applies the generated migrations in drizzle/. Several instances may start at once on one
// empty Postgres database: a session-level advisory lock makes them migrate one at a time,
// and the later ones find nothing left to do. With MIGRATE_ON_START=false a server only checks
// that none is pending (pendingMigrations), and migrating is a deploy step of its own.
import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Database } from './client.js';

// drizzle/ sits at the project root: two levels above this file in src/db/, one above the
// bundle that `npm start` runs (dist/main.js).
const migrationsFolder = ['../drizzle', '../../drizzle']
  .map((relative) => fileURLToPath(new URL(relative, import.meta.url)))
  .find((folder) => existsSync(folder))!;

/** An arbitrary constant shared by every instance of this server: "social-graphql migrate". */
const MIGRATION_LOCK_KEY = 7_304_119_285;

export async function migrate(database: Database): Promise<void> {
  if (database.driver === 'pglite') {
    // The embedded database belongs to this process alone (see data-dir-lock.ts). Imported
    // here only, as PGlite is (db/client.ts).
    const { migrate: migratePglite } = await import('drizzle-orm/pglite/migrator');
    await migratePglite(database.db as never, { migrationsFolder });
    return;
  }
  // A connection of its own, not one from the pool: building an index on a large table may take
  // longer than a request's statement timeout, and than the server pool's client-side query_timeout.
  const { connectionString, connectionTimeoutMillis, application_name } = database.pool.options;
  const session = new pg.Client({ connectionString, connectionTimeoutMillis, application_name });
  session.on('error', () => {
    // A lost connection also fails the statement running on it: that rejection reports it.
  });
  await session.connect();
  try {
    await session.query('set statement_timeout = 0');
    await session.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await migratePg(drizzle({ client: session }), { migrationsFolder });
    } finally {
      await session.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await session.end();
  }
}

/**
 * How many of drizzle/'s migrations the database has not applied, by the same rule drizzle's
 * migrator uses (a migration newer than the last one recorded is pending). Two plain reads through
 * the pool: no lock, no session setting, so PgBouncer's transaction mode serves them.
 */
export async function pendingMigrations(database: Database): Promise<number> {
  const migrations = readMigrationFiles({ migrationsFolder });
  // A table named in a statement must exist when it is planned: ask first, then read.
  const recorded = (await database.db.execute(sql`select to_regclass('drizzle.__drizzle_migrations') is not null as "exists"`)) as {
    rows: { exists: boolean }[];
  };
  let lastApplied = 0;
  if (recorded.rows[0]?.exists) {
    const last = (await database.db.execute(sql`select max(created_at)::text as "createdAt" from drizzle.__drizzle_migrations`)) as {
      rows: { createdAt: string | null }[];
    };
    lastApplied = Number(last.rows[0]?.createdAt ?? 0);
  }
  return migrations.filter((migration) => migration.folderMillis > lastApplied).length;
}

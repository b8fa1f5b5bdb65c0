// Holds a table lock from a connection of its own, so that the server's statements on that table
// wait: a request that is slow for real, on the real database (Postgres only).
import pg from 'pg';

export type TableLock = {
  /** Resolves once `count` statements of the server wait for a lock in this database. */
  waiters(count?: number, timeoutMs?: number): Promise<void>;
  release(): Promise<void>;
  /** Runs `statement` inside the lock's transaction, commits it, and so releases the lock. */
  commitAfter(statement: string, params?: unknown[]): Promise<void>;
};

export async function lockTable(databaseUrl: string, table: string): Promise<TableLock> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'test-table-lock' });
  await client.connect();
  await client.query('begin');
  await client.query(`lock table ${table} in access exclusive mode`);
  let released = false;
  return {
    async waiters(count = 1, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        // Inside a transaction pg_stat_activity is a snapshot taken at its first read: drop it.
        await client.query('select pg_stat_clear_snapshot()');
        const { rows } = await client.query<{ n: number }>(
          `select count(*)::int as n from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock' and application_name = 'social-graphql'`,
        );
        if (rows[0]!.n >= count) return;
        if (Date.now() > deadline) {
          const activity = await client.query(
            `select application_name, state, wait_event_type, wait_event, query from pg_stat_activity where datname = current_database()`,
          );
          throw new Error(
            `${rows[0]!.n} of ${count} statements waiting for the lock on ${table} after ${timeoutMs} ms: ${JSON.stringify(activity.rows)}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async release() {
      if (released) return;
      released = true;
      await client.query('rollback');
      await client.end();
    },
    async commitAfter(statement, params) {
      released = true;
      try {
        await client.query(statement, params);
        await client.query('commit');
      } finally {
        await client.end();
      }
    },
  };
}

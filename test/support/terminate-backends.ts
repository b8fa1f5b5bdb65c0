// Ends the server's own connections from the database's side, as an operator, a failover or a
// pooler would: pg_terminate_backend on the backends of one database whose application_name is
// the server's (never the test's own connections, nor another test file's database).
import pg from 'pg';

export type BackendFilter = {
  /** Only backends in this state: 'idle', 'active', 'idle in transaction'. */
  state?: string;
  /** Only backends whose statement waits for a lock (see table-lock.ts). */
  isWaitingForLock?: boolean;
};

/**
 * @default 5000 ms to wait for each backend to exit: once it has, the server has been sent the
 * FATAL error (or the reset), so what a test asserts next does not race the termination.
 */
const EXIT_WAIT_MS = 5_000;

/** Terminates the matching backends of the database `databaseUrl` names; resolves with how many. */
export async function terminateBackends(databaseUrl: string, filter: BackendFilter = {}): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'test-terminate-backends' });
  client.on('error', () => {
    // A failure also fails the statement, which reports it.
  });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      `select count(*) filter (where pg_terminate_backend(pid, $3))::int as n from pg_stat_activity
        where datname = current_database() and application_name = 'social-graphql' and pid <> pg_backend_pid()
          and ($1::text is null or state = $1) and (not $2 or wait_event_type = 'Lock')`,
      [filter.state ?? null, filter.isWaitingForLock ?? false, EXIT_WAIT_MS],
    );
    return rows[0]!.n;
  } finally {
    await client.end();
  }
}

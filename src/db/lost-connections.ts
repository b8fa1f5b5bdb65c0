// Postgres may end any connection at any moment: pg_terminate_backend, a restart, a failover,
// idle_session_timeout. pg reports it as an 'error' event on the client, and an 'error' event
// that nobody listens to ends the process (issue 11). pg-pool listens only while a client is
// idle; from checkout to release nobody did, so one killed backend took every request down.
import type pg from 'pg';
import type { Log } from '../log.js';

/**
 * Gives every client of `pool` a listener for its whole life, whatever its Client class.
 * The listener only reports: the statement running on the client (if any) has already failed
 * with the error, so has every later one ("not queryable"), and the request holding it answers
 * 503 (db/unavailable.ts). Postgres rolled the transaction back when the backend ended, and
 * pg-pool discards a client that is no longer queryable when it is released, instead of
 * pooling it again: the next request connects afresh.
 */
export function handleLostConnections(pool: pg.Pool, log: Log): void {
  const inUse = new WeakSet<pg.PoolClient>();
  pool.on('acquire', (client) => inUse.add(client));
  pool.on('release', (_error, client) => inUse.delete(client));
  pool.on('connect', (client) => {
    let isReported = false;
    client.on('error', (error: Error & { code?: string }) => {
      // An idle client's loss is the pool's to report (below); a lost connection may raise
      // several errors (Postgres' FATAL, then the socket's end): one line per connection.
      if (!inUse.has(client) || isReported) return;
      isReported = true;
      log.warn({ reason: brief(error) }, 'database connection lost while in use');
    });
  });
  // pg-pool has dropped the idle client already, and connects afresh when asked.
  pool.on('error', (error: Error & { code?: string }) => log.warn({ reason: brief(error) }, 'idle database connection lost'));
}

/**
 * Not the error itself: pg-pool attaches `error.client`, the whole client with its cancel key.
 * Not under `err` either, whose serializer would take this plain object for an error of type Object.
 */
const brief = ({ name, message, code }: Error & { code?: string }) => ({ type: name, message, code });

// Opens the database: a pg Pool when DATABASE_URL is set, else embedded PGlite under DATA_DIR.
// Both are wrapped by drizzle's Postgres dialect, so the query code is the same for both.
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { Config } from '../config.js';
import type { Log } from '../log.js';
import type { Database, Db, StatementCounter } from './database.js';
import { handleLostConnections } from './lost-connections.js';
import { watchTransactionCheckout } from './transaction-checkouts.js';
import { sendInStatementSpan } from '../telemetry/sql-spans.js';
import { bindToActiveContext } from '../telemetry/tracing.js';
import * as schema from './schema.js';

export type { Database, Db, StatementCounter } from './database.js';

/** @default 500 distinct statement texts get a name; any beyond are sent unnamed. */
const MAX_NAMED_STATEMENTS = 500;
const statementNames = new Map<string, string>();

/**
 * Sends each parameterized statement as a named prepared statement: Postgres parses and plans
 * its text once per connection, instead of for every execution as it does for drizzle's unnamed
 * ones (the bench measured Postgres' CPU per request halving: bench/RESULTS.md). The set of texts
 * is small and fixed (ids and pages travel as parameters); the cap keeps a text built per request,
 * should one appear, from growing every connection's statement cache without bound.
 * Each statement is a span of the request's trace when tracing is on (src/telemetry/sql-spans.ts).
 */
class NamingClient extends pg.Client {
  // pg's query() has a dozen overloads (promise, callback, Submittable); only `any` satisfies them all.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: unknown[]): any {
    const [config, values] = args as [{ text?: string; name?: string; values?: unknown[] } | string | null, unknown[] | undefined];
    if (typeof config === 'object' && config !== null && typeof config.text === 'string' && !config.name) {
      const hasValues = (Array.isArray(values) && values.length > 0) || (Array.isArray(config.values) && config.values.length > 0);
      const name = hasValues ? nameOf(config.text) : undefined;
      if (name) args[0] = { ...config, name };
    }
    const text = typeof config === 'string' ? config : config?.text;
    if (typeof text !== 'string') return (super.query as (...a: unknown[]) => unknown)(...args);
    return sendInStatementSpan(text, args, (all) => (super.query as (...a: unknown[]) => unknown)(...all));
  }
}

/**
 * The pool, with two corrections:
 *  - pg-pool hands a free connection to a caller waiting for one from the code that released it,
 *    so the waiter's statement would be sent in the releaser's async context: its span would land
 *    under another batch, or in another request's trace, whenever the pool is busy. Bound, the
 *    waiter's callback runs in its own context (pool.query goes through connect too). A promise
 *    resumes in its awaiter's context already.
 *  - A checkout taken through the promise (drizzle's transactions) is watched, so that a failed
 *    BEGIN does not keep the connection and a failed database's is not pooled again
 *    (transaction-checkouts.ts). pool.query releases its own checkouts with their errors.
 */
class ServerPool extends pg.Pool {
  // pg's connect() has a promise and a callback overload.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override connect(...args: unknown[]): any {
    const [callback] = args as [Parameters<pg.Pool['connect']>[0] | undefined];
    if (typeof callback !== 'function') return super.connect().then(watchTransactionCheckout);
    super.connect(bindToActiveContext(callback));
    return undefined;
  }
}

function nameOf(text: string): string | undefined {
  let name = statementNames.get(text);
  if (!name && statementNames.size < MAX_NAMED_STATEMENTS) {
    name = `s${statementNames.size + 1}`;
    statementNames.set(text, name);
  }
  return name;
}

/** @default 1000 ms past the statement timeout: by then a reachable database has answered or cancelled. */
const QUERY_TIMEOUT_MARGIN_MS = 1000;

export type OpenOptions = {
  /**
   * Give up on a statement whose answer has not come by the statement timeout plus a margin.
   * The server (main.ts) turns it on; scripts leave it off, as the seed runs long statements
   * with no statement timeout on purpose.
   */
  hasQueryTimeout?: boolean;
};

export async function openDatabase(config: Config, log: Log, { hasQueryTimeout = false }: OpenOptions = {}): Promise<Database> {
  let statementCount = 0;
  const counter: StatementCounter = {
    logger: {
      logQuery: () => {
        statementCount++;
      },
    },
    count: () => statementCount,
  };
  if (config.db.url) return openPg(config.db, config.db.url, hasQueryTimeout, counter, log);
  // Imported only here: PGlite's JavaScript (and its source maps, under --enable-source-maps)
  // would otherwise stay in every process that runs on Postgres.
  const { openPglite } = await import('./pglite.js');
  return openPglite(config.dataDir, counter, log);
}

function openPg(settings: Config['db'], url: string, hasQueryTimeout: boolean, counter: StatementCounter, log: Log): Database {
  const pool = new ServerPool(poolConfig(settings, url, hasQueryTimeout));
  handleLostConnections(pool, log);
  const db = drizzlePg({ client: pool, schema, logger: counter.logger }) as unknown as Db;
  return {
    db,
    driver: 'pg',
    pool,
    get statementCount() {
      return counter.count();
    },
    ping: async () => {
      await pool.query('select 1');
    },
    close: () => pool.end(),
  };
}

function poolConfig(settings: Config['db'], url: string, hasQueryTimeout: boolean): pg.PoolConfig {
  return {
    Client: hasQueryTimeout ? NamingClient : pg.Client,
    connectionString: url,
    max: settings.poolSize,
    // A pool that cannot hand out a connection in time fails the request (503) instead of
    // queueing it forever behind a stuck or unreachable database.
    connectionTimeoutMillis: settings.connectTimeoutMs,
    statement_timeout: settings.statementTimeoutMs,
    // statement_timeout is enforced by the server, so it cannot end a wait for an answer that
    // never comes (a network partition: no reply, no RST). This client-side bound does; the
    // connection is then discarded, and the request fails with 503.
    query_timeout: hasQueryTimeout ? settings.statementTimeoutMs + QUERY_TIMEOUT_MARGIN_MS : undefined,
    idleTimeoutMillis: 30_000,
    application_name: 'social-graphql',
    // Named statements (NamingClient) save the parse, and Postgres's default plan_cache_mode
    // (auto) may reuse a generic plan after five runs. Forcing custom plans was measured again
    // with the reads prepared and run straight on the driver (bench/RESULTS.md, issue 13):
    // planning the feed page's statement took 3.3 ms per run against 1.1 ms to execute it, and
    // auto answered the feed with half the Postgres CPU per request (5.3 → 2.5 ms) and 1.3× the
    // req/s; the other operations did not move.
  };
}

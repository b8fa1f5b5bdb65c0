// Opens embedded PGlite under DATA_DIR (no DATABASE_URL): imported by client.ts only then.
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { drizzle } from 'drizzle-orm/pglite';
import path from 'node:path';
import type { Log } from '../log.js';
import type { Database, Db, StatementCounter } from './database.js';
import { lockDataDir } from './data-dir-lock.js';
import * as schema from './schema.js';
import { sendInStatementSpan } from '../telemetry/sql-spans.js';

export async function openPglite(dataDir: string, counter: StatementCounter, log: Log): Promise<Database> {
  const releaseLock = await lockDataDir(dataDir, log);
  try {
    const client = await PGlite.create(path.join(dataDir, 'pgdata'), { extensions: { pg_trgm } });
    traceStatements(client);
    const db = drizzle({ client, schema, logger: counter.logger }) as unknown as Db;
    return {
      db,
      driver: 'pglite',
      client,
      get statementCount() {
        return counter.count();
      },
      ping: async () => {
        await client.query('select 1');
      },
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

/**
 * Each statement drizzle (or a prepared read) sends outside a transaction is a span of the
 * request's trace when tracing is on; a transaction's run on PGlite's own object, which has no
 * such hook.
 */
function traceStatements(client: PGlite): void {
  const query = client.query.bind(client);
  client.query = ((text: string, ...rest: unknown[]) =>
    sendInStatementSpan(text, [text, ...rest], (args) => (query as (...a: unknown[]) => unknown)(...args))) as typeof client.query;
}

// startTwinApps(): two instances of the server in this process, as two replicas behind a load
// balancer: one Database object (so it works on PGlite too), one Redis under a prefix of their
// own. What one instance writes, the other must read. Both close after the test file.
import { randomUUID } from 'node:crypto';
import { openDatabase } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { createTestDatabase } from './test-database.js';
import { configure, serveTestApp, type TestApp } from './test-app.js';

/** `onlyA`: settings of the first instance alone (a REDIS_URL through a proxy, say). */
export async function startTwinApps(options: {
  env?: Record<string, string>;
  redisUrl: string;
  onlyA?: Record<string, string>;
}): Promise<[TestApp, TestApp]> {
  const testDatabase = await createTestDatabase();
  const env = { REDIS_URL: options.redisUrl, REDIS_PREFIX: `test-cache-${randomUUID()}:`, ...options.env };
  const first = configure(testDatabase, { env: { ...env, ...options.onlyA } });
  const database = await openDatabase(first.config, first.log);
  await migrate(database);
  // The database goes once both servers have stopped, whichever closes last.
  let open = 2;
  const release = async () => {
    if (--open > 0) return;
    await database.close();
    await testDatabase.drop();
  };
  const a = await serveTestApp(first.config, database, first.log, first.logs, undefined, release);
  const second = configure(testDatabase, { env });
  const b = await serveTestApp(second.config, database, second.log, second.logs, undefined, release);
  return [a, b];
}

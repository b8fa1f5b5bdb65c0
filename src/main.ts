// Entry point: load config, open the database, migrate, (on an empty embedded database) seed a
// demo graph, listen; on SIGTERM/SIGINT stop accepting, finish in-flight requests, close, exit 0.
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/client.js';
import { DataDirLockedError } from './db/data-dir-lock.js';
import { migrate } from './db/migrate.js';
import { createLog } from './log.js';
import { seedDemoIfEmpty } from './seed/demo.js';

async function main(): Promise<void> {
  const startedAt = performance.now();
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  const log = createLog(config.logLevel);
  let database;
  try {
    database = await openDatabase(config, log);
  } catch (error) {
    if (!(error instanceof DataDirLockedError)) throw error;
    log.fatal(error.message);
    process.exit(1);
  }
  await migrate(database);
  if (database.driver === 'pglite') await seedDemoIfEmpty(database.db, log);

  const app = createApp(config, database, log);
  const url = await app.start();
  log.info({ url: url.href, database: database.driver, startupMs: Math.round(performance.now() - startedAt) }, `GraphQL ready at ${url.href}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: finishing in-flight requests');
    await app.stop();
    await database.close();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error('failed to start:', error);
  process.exit(1);
});

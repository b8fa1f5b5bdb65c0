// Entry point: load config, open the database, migrate (with MIGRATE_ON_START=false, only check
// that nothing is pending), on an empty embedded database seed a demo graph, listen; on
// SIGTERM/SIGINT stop accepting, finish in-flight requests, close, exit 0.
// With WORKERS > 1 the first process forks that many workers which each do all of this
// (src/cluster.ts); they share the port.
import cluster from 'node:cluster';
import { createApp, type App } from './app.js';
import { loadJwtSecret } from './auth/secret.js';
import { runPrimary, WORKER_READY } from './cluster.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openDatabase, type Database } from './db/client.js';
import { DataDirLockedError } from './db/data-dir-lock.js';
import { migrate, pendingMigrations } from './db/migrate.js';
import { isDatabaseUnavailable } from './db/unavailable.js';
import { createLog, type Log } from './log.js';
import { seedDemoIfEmpty } from './seed/demo.js';
import { NAIVE_LOADERS } from './loaders/naive.js';
import { startTracing, stopTracing } from './telemetry/tracing.js';

async function main(): Promise<void> {
  const startedAt = performance.now();
  const config = loadConfigOrExit();
  const log = createLog(config.logLevel);
  if (config.workers > 1 && cluster.isPrimary) {
    runPrimary(config, log);
    return;
  }
  // Before anything that sends a statement: tracing is process-wide (OTEL_EXPORTER_OTLP_ENDPOINT).
  startTracing(config.telemetry, log);
  const database = await openMigratedOrExit(config, log);
  await seedDemoIfEmpty(database, log);

  // LOADER_BATCHING=false is the bench's "naive" server (issue 5): the only way to it.
  const app = createApp(config, database, log, await loadJwtSecret(config), config.loaderBatching ? {} : { loaders: NAIVE_LOADERS });
  const url = await app.start();
  log.info(
    {
      url: url.href,
      database: database.driver,
      startupMs: Math.round(performance.now() - startedAt),
      metrics: app.metricsUrl()?.href ?? null,
      tracing: config.telemetry.tracesUrl !== null,
    },
    `GraphQL ready at ${url.href}`,
  );
  if (cluster.isWorker) process.send?.(WORKER_READY);
  stopOnSignals(app, database, log);
}

/** A bad configuration ends the process before anything starts, listing every problem. */
function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

async function openMigratedOrExit(config: Config, log: Log): Promise<Database> {
  let database;
  try {
    database = await openDatabase(config, log, { hasQueryTimeout: true });
    if (config.db.migrateOnStart) await migrate(database);
    else await refusePendingMigrations(database, config, log);
  } catch (error) {
    if (error instanceof DataDirLockedError) log.fatal(error.message);
    else
      log.fatal(
        { err: error },
        `cannot start: ${describeDatabase(config)} ${isDatabaseUnavailable(error) ? 'does not answer' : 'failed'}: ${String((error as { message?: unknown }).message ?? error)}`,
      );
    process.exit(1);
  }
  return database;
}

/** MIGRATE_ON_START=false: serving a schema older than the code would fail request by request. */
async function refusePendingMigrations(database: Database, config: Config, log: Log): Promise<void> {
  const pending = await pendingMigrations(database);
  if (pending === 0) return;
  log.fatal(
    `cannot start: ${describeDatabase(config)} lacks ${pending} migration${pending === 1 ? '' : 's'} and MIGRATE_ON_START=false: ` +
      'apply them first with `npm run db:migrate` (same DATABASE_URL, or DATA_DIR for the embedded database)',
  );
  await database.close();
  process.exit(1);
}

/** SIGTERM/SIGINT: stop accepting, finish in-flight requests, close the database, exit 0. */
function stopOnSignals(app: App, database: Database, log: Log): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: finishing in-flight requests');
    await app.stop();
    await database.close();
    // The spans of the last requests are still in the batch: send them before exiting.
    await stopTracing().catch((err: unknown) => log.warn({ err }, 'could not send the last spans'));
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/** Which database, for an operator: never the credentials in DATABASE_URL. */
function describeDatabase(config: Config): string {
  if (!config.db.url) return `the embedded database in ${config.dataDir}`;
  try {
    const url = new URL(config.db.url);
    return `the database at ${url.hostname || 'localhost'}:${url.port || 5432}${url.pathname} (DATABASE_URL)`;
  } catch {
    return 'the database at DATABASE_URL';
  }
}

main().catch((error: unknown) => {
  console.error('failed to start:', error);
  process.exit(1);
});

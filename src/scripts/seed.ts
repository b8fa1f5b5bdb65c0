// npm run seed -- --users N …: migrates, then fills the database the server would use with a
// deterministic social graph (src/seed/). Usage errors exit 2, failures 1; the summary line
// goes to stdout, progress to stderr.
import { ConfigError, loadConfig } from '../config.js';
import { openDatabase } from '../db/client.js';
import { DataDirLockedError } from '../db/data-dir-lock.js';
import { migrate } from '../db/migrate.js';
import { createLog } from '../log.js';
import { SeedFlagError, USAGE, parseSeedFlags } from '../seed/flags.js';
import { TABLES, clampSizes, rowCounts, type SeedOptions } from '../seed/options.js';
import { createProgressReporter } from '../seed/progress.js';
import { runSeed, type SeedResult } from '../seed/run.js';

async function main(): Promise<void> {
  let options: SeedOptions | null;
  try {
    options = parseSeedFlags(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof SeedFlagError)) throw error;
    const problems = error.message.split('\n');
    const message = problems.length === 1 ? problems[0] : `invalid flags:\n${problems.map((p) => `- ${p}`).join('\n')}`;
    process.stderr.write(`seed: ${message}\nRun with --help for usage.\n`);
    process.exit(2);
  }
  if (!options) {
    process.stdout.write(USAGE);
    return;
  }
  noteClamping(options);

  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  const database = await openDatabase(config, createLog(config.logLevel));
  try {
    await migrate(database);
    const counts = rowCounts(options);
    const progress = createProgressReporter(
      process.stderr,
      TABLES.reduce((sum, table) => sum + counts[table], 0),
    );
    const result = await runSeed(database.db, options, (p) => progress.update(p)).finally(() => progress.stop());
    process.stdout.write(`${summaryLine(result, database.driver)}\n`);
  } finally {
    await database.close();
  }
}

/** Follows and likes need distinct partners: too few users caps them (said, not silently). */
function noteClamping(options: SeedOptions): void {
  const used = clampSizes(options);
  if (used.followsPerUser < options.followsPerUser)
    process.stderr.write(`seed: --follows-per-user lowered to ${used.followsPerUser} (users - 1)\n`);
  if (used.likesPerPost < options.likesPerPost) process.stderr.write(`seed: --likes-per-post lowered to ${used.likesPerPost} (users)\n`);
}

/** One line, easy to grep: "seeded users=… posts=… comments=… follows=… likes=… total=… rows in … s (… rows/s) on pg". */
function summaryLine(result: SeedResult, driver: string): string {
  const tables = TABLES.map((table) => `${table}=${result.counts[table]}`).join(' ');
  return `seeded ${tables} total=${result.totalRows} rows in ${result.seconds.toFixed(1)} s (${Math.round(result.rowsPerSecond)} rows/s) on ${driver}`;
}

main().catch((error: unknown) => {
  if (error instanceof DataDirLockedError) {
    process.stderr.write(`seed: ${error.message}\n`);
  } else {
    process.stderr.write(`seed failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});

// npm run db:migrate: applies pending migrations to the configured database, then exits.
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { createLog } from '../log.js';

const config = loadConfig();
const log = createLog(config.logLevel);
const database = await openDatabase(config, log);
try {
  await migrate(database);
  log.info({ database: database.driver }, 'migrations applied');
} finally {
  await database.close();
}

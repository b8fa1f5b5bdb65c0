// Preloaded into every server the bench starts (node --import): counts the SQL statements each
// one sends, at the pg driver, and tells the bench over the IPC channel when asked.
//
// Why here and not in Postgres: pg_stat_statements needs shared_preload_libraries (a server
// restart), which a shared Postgres rarely has. Why not in src/: the bench must measure the
// server as shipped, and this counts the raw server the same way. Every statement goes through
// pg's Client#query (pool.query calls it too); connecting sends none.
import { createRequire } from 'node:module';
import path from 'node:path';

// The pg the server itself loads: resolved from the server's working directory (the project
// root for ours, bench/ for raw), so that both share one module instance and one prototype.
const require = createRequire(path.join(process.cwd(), 'noop.js'));
const pg = require('pg');

let statementCount = 0;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function countedQuery(...args) {
  statementCount++;
  return query.apply(this, args);
};

process.on('message', (message) => {
  if (message === 'statement-count') process.send?.({ statementCount });
});
// The IPC channel must not keep a server alive that would otherwise exit (a failed start).
process.channel?.unref();

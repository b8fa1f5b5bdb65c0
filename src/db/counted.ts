// A request's own handle on the database: the same drizzle database (same pool or PGlite, same
// prepared reads), whose statements are also counted for the request, as `onStatement`. Built on
// drizzle's internals, as db/driver-rows.ts is: every query builder, transaction and prepared read
// takes its session from `db.session` or `db._.session`, and the session its logger from itself
// (or, for a transaction's session, from its options); overriding those three is enough. A test
// counts a request's statements against the driver's (test/metrics/statements.test.ts).
import type { Logger } from 'drizzle-orm';
import type { Db } from './database.js';

type Session = { logger: Logger; options: { logger?: Logger } };
type Internals = { session: Session; _: { session: Session } };

export function countedDb(db: Db, onStatement: () => void): Db {
  const base = (db as unknown as Internals).session;
  const logger: Logger = {
    logQuery(query, params) {
      base.logger.logQuery(query, params);
      onStatement();
    },
  };
  const session: Session = Object.create(base) as Session;
  session.logger = logger;
  session.options = { ...base.options, logger };
  const counted = Object.create(db) as Internals;
  counted.session = session;
  counted._ = { ...(db as unknown as Internals)._, session };
  return counted as unknown as Db;
}

// The seed transaction's settings: no statement timeout, the tables locked against other
// writers, and (when allowed) no foreign-key triggers. All end with the transaction.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { causeChain } from '../db/error-causes.js';

const INSUFFICIENT_PRIVILEGE = '42501';

export async function prepareSeedTransaction(tx: Db): Promise<void> {
  // A batch into a big indexed table may outlast the pool's per-request statement timeout.
  await tx.execute(sql`set local statement_timeout = 0`);
  // Blocks other writers (and other seeds) until commit; reads go on. Nobody can take the ids
  // the seed chooses, and the identity sequences can be moved past them safely at the end.
  await tx.execute(sql`lock table users, posts, comments, follows, likes in share row exclusive mode`);
  await skipForeignKeyChecks(tx);
}

/**
 * Foreign-key checks are row triggers, and they cost more than the inserts they guard (500,000
 * likes: about 7 s with them, 3 s without, on Postgres 15). They cannot fail here: every
 * reference points at a row inserted earlier in this transaction, with ids chosen under the
 * lock (the tests check for orphans). So they are skipped when the role may do so (a superuser,
 * or GRANT SET ON PARAMETER session_replication_role) and no trigger of our own would be skipped
 * with them. Primary keys, unique indexes and CHECK constraints are not triggers: they still hold.
 */
async function skipForeignKeyChecks(tx: Db): Promise<void> {
  const result = (await tx.execute(sql`select exists (
      select 1 from pg_trigger where not tgisinternal
        and tgrelid in ('users'::regclass, 'posts'::regclass, 'comments'::regclass, 'follows'::regclass, 'likes'::regclass)
    ) as "hasOwnTriggers"`)) as { rows: { hasOwnTriggers: boolean }[] };
  if (result.rows[0]?.hasOwnTriggers !== false) return;
  try {
    // In a savepoint: a refusal must not abort the whole transaction.
    await tx.transaction((savepoint) => savepoint.execute(sql`set local session_replication_role = replica`));
  } catch (error) {
    if (sqlState(error) !== INSUFFICIENT_PRIVILEGE) throw error;
  }
}

/** The SQLSTATE of a driver error, or of the one a wrapper holds as its cause. */
function sqlState(error: unknown): string | undefined {
  for (const e of causeChain(error)) {
    // Driver errors are Errors: past the last one, a code would not be a SQLSTATE.
    if (!(e instanceof Error)) break;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

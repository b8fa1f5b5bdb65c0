// runSeed(db, options): generate the seed data and insert it, all in one transaction, so a
// failed or interrupted run leaves the database as it was. Used by the CLI and the demo seed.
import { hashPassword } from '../auth/password.js';
import type { Db } from '../db/client.js';
import type { Batch, IdBases } from './batch.js';
import { generateBatches } from './generate.js';
import { advanceSequences, readIdBases } from './ids.js';
import { batchRowCount, insertBatch } from './insert.js';
import { SEEDED_USER_PASSWORD, TABLES, rowCounts, type SeedOptions, type TableName } from './options.js';
import { prepareSeedTransaction } from './session.js';

/** @default 10000 rows per statement: a few MB of posts; per-statement costs vanish at this size. */
const BATCH_ROWS = 10_000;

export type SeedProgress = { table: TableName; tableRows: number; tableTotal: number; rows: number; totalRows: number };

export type SeedResult = {
  counts: Record<TableName, number>;
  totalRows: number;
  seconds: number;
  rowsPerSecond: number;
  /** The largest id each table had before: the seeded ids follow it. */
  bases: IdBases;
};

export async function runSeed(db: Db, options: SeedOptions, onProgress?: (progress: SeedProgress) => void): Promise<SeedResult> {
  const startedAt = performance.now();
  const counts = rowCounts(options);
  const totalRows = TABLES.reduce((sum, table) => sum + counts[table], 0);
  const passwordHash = await hashPassword(SEEDED_USER_PASSWORD);
  const bases = await db.transaction(async (tx) => {
    await prepareSeedTransaction(tx);
    const bases = await readIdBases(tx, counts);
    const done = Object.fromEntries(TABLES.map((table) => [table, 0])) as Record<TableName, number>;
    let rows = 0;
    await insertPipelined(tx, generateBatches(options, bases, BATCH_ROWS), passwordHash, (batch) => {
      done[batch.table] += batchRowCount(batch);
      rows += batchRowCount(batch);
      onProgress?.({ table: batch.table, tableRows: done[batch.table], tableTotal: counts[batch.table], rows, totalRows });
    });
    await advanceSequences(tx, bases, counts);
    return bases;
  });
  const seconds = (performance.now() - startedAt) / 1000;
  return { counts, totalRows, seconds, rowsPerSecond: totalRows / seconds, bases };
}

/**
 * Generates batch k + 1 (in JS) while Postgres inserts batch k: the two overlap instead of
 * adding up (about 2 s of 15 for the 1.1M-row bench). One statement in flight at a time, as
 * a transaction's single connection requires.
 */
async function insertPipelined(db: Db, batches: Iterable<Batch>, passwordHash: string, onInserted: (batch: Batch) => void): Promise<void> {
  let inFlight: Promise<void> | null = null;
  for (const batch of batches) {
    await inFlight;
    inFlight = insertBatch(db, batch, passwordHash).then(() => onInserted(batch));
    inFlight.catch(() => {
      // Awaited on the next turn; this only stops Node calling a failure unhandled meanwhile.
    });
    // Let the driver put the statement on the wire before the next batch is generated.
    await new Promise((resolve) => setImmediate(resolve));
  }
  await inFlight;
}

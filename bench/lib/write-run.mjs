// Around a bench that writes (bench/mixed.mjs, bench/soak.mjs): before it, the server built, the
// dataset seeded, an earlier run's writers deleted and the run's Redis prefix empty; after it,
// its writers and keys gone, and the dataset's rows as they were (else the run fails: a bench
// must not change the data later benches measure).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { flushPrefix } from './cached.mjs';
import { ensureDataset } from './dataset.mjs';
import { countRows, deleteWriters } from './mixed-writes.mjs';
import { REDIS_PREFIX, REDIS_URL } from './servers.mjs';

const ROOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Resolves to the dataset's row counts before the run, for finishWriteRun. */
export async function prepareWriteRun(databaseUrl, say) {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT_DIR, stdio: 'inherit' });
  if (await ensureDataset(databaseUrl)) say('seeded the dataset');
  const leftovers = await deleteWriters(databaseUrl);
  if (leftovers > 0) say(`deleted ${leftovers} writers an earlier run left behind`);
  const rowsBefore = await countRows(databaseUrl);
  await flushPrefix(REDIS_URL, REDIS_PREFIX);
  return rowsBefore;
}

/** Once the servers have stopped: deletes the writers and the keys; exit code 1 if the rows differ. */
export async function finishWriteRun(databaseUrl, rowsBefore, say) {
  await deleteWriters(databaseUrl);
  await flushPrefix(REDIS_URL, REDIS_PREFIX);
  const rowsAfter = await countRows(databaseUrl);
  if (!isDeepStrictEqual(rowsAfter, rowsBefore)) {
    say(`the dataset's rows differ after the run: before ${JSON.stringify(rowsBefore)}, after ${JSON.stringify(rowsAfter)}`);
    process.exitCode = 1;
  }
}

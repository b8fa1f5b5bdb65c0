// PGlite does not lock its directory, and two processes writing to one silently lose data.
// An exclusive lock (proper-lockfile: a lock directory whose mtime the holder keeps fresh)
// makes a second process refuse to start instead.
import { mkdir } from 'node:fs/promises';
import lockfile from 'proper-lockfile';
import type { Log } from '../log.js';

/** @default 10000 ms: a lock not refreshed for this long belongs to a dead process. */
const STALE_MS = 10_000;

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

export async function lockDataDir(dataDir: string, log: Log): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true });
  try {
    return await lockfile.lock(dataDir, {
      lockfilePath: `${dataDir}/server.lock`,
      stale: STALE_MS,
      update: STALE_MS / 2,
      onCompromised: (error) => {
        // Someone else may be writing the data now: stopping is the only safe answer.
        log.fatal({ err: error }, 'lost the lock on the data directory; stopping to protect the data');
        process.exit(1);
      },
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw new DataDirLockedError(
        `The embedded database in ${dataDir} is in use by another process. ` +
          'Stop that process, point DATA_DIR at another directory, or set DATABASE_URL to share a Postgres database. ' +
          `(If that process crashed, its lock expires within ${STALE_MS / 1000} s.)`,
      );
    }
    throw error;
  }
}

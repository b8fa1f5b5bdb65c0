import type { Db } from '../db/client.js';
import type { Log } from '../log.js';
export async function seedDemoIfEmpty(_db: Db, _log: Log): Promise<void> {}

// Every batch function goes through here: the batch's size is the metrics' dataloader_batch_size
// (by loader), and its work a span of the request's trace when tracing is on.
import type { BatchLoadFn } from 'dataloader';
import type { Db } from '../db/database.js';
import { recordOfDb } from '../telemetry/request-record.js';

/**
 * `loader`: a fixed name (no ids, no user input): it is a label value. `db`: the loader's handle,
 * which says whose request it serves (none for a subscription event's loaders).
 */
export function observed<K, V>(loader: string, db: Db, batch: BatchLoadFn<K, V>): BatchLoadFn<K, V> {
  return (keys) => {
    const request = recordOfDb(db);
    if (request === undefined) return batch(keys);
    return request.observeBatch(loader, keys.length, () => Promise.resolve(batch(keys)));
  };
}

// Every batch function goes through here: the batch's size is the metrics' dataloader_batch_size
// (by loader), and its work a span of the request's trace when tracing is on.
import type { BatchLoadFn } from 'dataloader';
import { currentRequest } from '../telemetry/request-scope.js';

/** `loader`: a fixed name (no ids, no user input): it is a label value. */
export function observed<K, V>(loader: string, batch: BatchLoadFn<K, V>): BatchLoadFn<K, V> {
  return (keys) => {
    const request = currentRequest();
    if (request === undefined) return batch(keys);
    return request.observeBatch(loader, keys.length, () => Promise.resolve(batch(keys)));
  };
}

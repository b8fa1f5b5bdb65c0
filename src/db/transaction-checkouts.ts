// drizzle's transaction() on a pg Pool (drizzle-orm 0.45; its issues #6241 and #6114) takes a
// connection from the pool, sends BEGIN before its try/finally, and releases in that finally
// without saying whether the connection still works:
//  - a BEGIN that fails (the connection died while idle, the database stopped answering) is never
//    released: the pool loses the connection for the life of the process, and once it has lost
//    them all every request waits DATABASE_CONNECT_TIMEOUT_MS and is 503, until a restart;
//  - a statement given up on by the client (query_timeout) is still awaited by the connection,
//    and release() pools it again: the next request's statements queue behind it.
// Every checkout through pool.connect()'s promise (drizzle's transactions) is watched for both.
import type pg from 'pg';
import { isDatabaseUnavailable } from './unavailable.js';

type Release = pg.PoolClient['release'];

/** Watches one checkout: a failed BEGIN gives the connection back, and a failed database discards it. */
export function watchTransactionCheckout(client: pg.PoolClient): pg.PoolClient {
  const release: Release = client.release.bind(client);
  const query = client.query.bind(client);
  let failure: Error | undefined;
  let isReleased = false;
  let isReleasedForBegin = false;

  /** `error` (pg-pool's `true` is an error too) or the database's failure: the connection is discarded. */
  const giveBack = (error?: Error | boolean) => {
    isReleased = true;
    // The prototype's query again, for whoever checks this connection out next.
    Reflect.deleteProperty(client, 'query');
    release(error === false ? failure : (error ?? failure));
  };

  const onFailure = (error: unknown, statement: unknown) => {
    if (isDatabaseUnavailable(error)) failure ??= error as Error;
    if (!isReleased && isBegin(statement)) {
      isReleasedForBegin = true;
      // Not pooled again: after a failed BEGIN nobody knows what state the connection is in.
      giveBack(failure ?? (error instanceof Error ? error : true));
    }
  };

  // pg's query() has a dozen overloads; the ones that answer with a promise are the ones watched.
  client.query = ((...args: unknown[]) => {
    const result: unknown = (query as (...a: unknown[]) => unknown)(...args);
    if (result instanceof Promise) {
      result.then(undefined, (error: unknown) => {
        onFailure(error, args[0]);
      });
    }
    return result;
  }) as typeof client.query;

  client.release = (error?: Error | boolean) => {
    // A drizzle that releases after a failed BEGIN too (once it is fixed) finds it done already.
    if (isReleasedForBegin) return;
    // A second release is pg-pool's to refuse (it throws), as it would without this watch.
    if (isReleased) return release(error);
    giveBack(error);
  };
  return client;
}

function isBegin(statement: unknown): boolean {
  const text = typeof statement === 'string' ? statement : (statement as { text?: unknown } | null)?.text;
  return typeof text === 'string' && /^\s*begin\b/i.test(text);
}

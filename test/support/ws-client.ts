// The official graphql-ws client against a test server, as a front-end uses it, with what tests
// need on top: every result kept in order, waiting for one with a deadline, the close event, and
// "live" detection by probe (graphql-ws never says when a subscription has started, so a test
// publishes a probe event until one arrives). Every client opened here is disposed after the file.
import { createClient, type Client } from 'graphql-ws';
import { afterAll } from 'vitest';
import WebSocket from 'ws';

export type Result<T = any> = { data?: T; errors?: { message: string; extensions: Record<string, any> }[] };

export type WsSubscription<T = any> = {
  /** Every `next` payload so far. */
  readonly results: Result<T>[];
  /** The first result after `after` results that matches, within the deadline. */
  waitFor: WaitFor<T>;
  /** Resolves with the `error` message's errors, or when the server completes the subscription (null). */
  ended: Promise<Result<T>['errors'] | null>;
  stop(): void;
};

export type WaitFor<T> = (match: (result: Result<T>) => boolean, options?: { after?: number; timeoutMs?: number }) => Promise<Result<T>>;

/**
 * The results of one subscription as they arrive, whatever the transport (graphql-ws, SSE):
 * `push` each one; `waitFor` resolves with the first after `after` that matches, within the deadline.
 */
export function resultLog<T = any>(what: string): { results: Result<T>[]; push: (result: Result<T>) => void; waitFor: WaitFor<T> } {
  const results: Result<T>[] = [];
  const waiters = new Set<() => void>();
  return {
    results,
    push: (result) => {
      results.push(result);
      waiters.forEach((wake) => wake());
    },
    waitFor: (match, { after = 0, timeoutMs = 5_000 } = {}) =>
      new Promise<Result<T>>((resolve, reject) => {
        const check = () => {
          const found = results.slice(after).find(match);
          if (!found) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching ${what} within ${timeoutMs} ms; got ${JSON.stringify(results.slice(after))}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
  };
}

export type WsConnection = {
  client: Client;
  /** The close event, once the socket has closed (the client does not retry). */
  closed: Promise<{ code: number; reason: string }>;
  /** Resolves once connection_ack has arrived. */
  acknowledged: Promise<void>;
  subscribe<T = any>(query: string, variables?: Record<string, unknown>): WsSubscription<T>;
  dispose(): Promise<void>;
};

const open = new Set<WsConnection>();
afterAll(async () => {
  await Promise.all([...open].map((connection) => connection.dispose()));
});

export function wsUrl(httpUrl: URL): string {
  const url = new URL(httpUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

/** `token`: sent in connection_init as { authorization: "Bearer <token>" }; `authorization` as is. */
export function connectWs(httpUrl: URL, options: { token?: string; connectionParams?: Record<string, unknown> } = {}): WsConnection {
  let resolveClosed!: (event: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (resolveClosed = resolve));
  let resolveAck!: () => void;
  const acknowledged = new Promise<void>((resolve) => (resolveAck = resolve));
  const client = createClient({
    url: wsUrl(httpUrl),
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    connectionParams: options.connectionParams ?? (options.token ? { authorization: `Bearer ${options.token}` } : {}),
    on: {
      connected: () => resolveAck(),
      closed: (event) => resolveClosed({ code: (event as CloseEvent).code, reason: String((event as { reason?: unknown }).reason) }),
    },
    onNonLazyError: () => undefined,
  });
  const connection: WsConnection = {
    client,
    closed,
    acknowledged,
    subscribe<T = any>(query: string, variables?: Record<string, unknown>): WsSubscription<T> {
      const log = resultLog<T>('result');
      let resolveEnded!: (errors: Result<T>['errors'] | null) => void;
      const ended = new Promise<Result<T>['errors'] | null>((resolve) => (resolveEnded = resolve));
      const stop = client.subscribe<T>(
        { query, variables },
        {
          next: (result) => log.push(result as Result<T>),
          error: (error) =>
            resolveEnded(
              Array.isArray(error)
                ? error
                : [
                    {
                      message: String((error as { message?: unknown } | null)?.message ?? error),
                      extensions: { closeCode: (error as { code?: number } | null)?.code },
                    },
                  ],
            ),
          complete: () => resolveEnded(null),
        },
      );
      const subscription: WsSubscription<T> = { results: log.results, ended, stop, waitFor: log.waitFor };
      return subscription;
    },
    async dispose() {
      open.delete(connection);
      await client.dispose();
    },
  };
  open.add(connection);
  return connection;
}

/**
 * Resolves once `subscription` is live: publishes a probe event (`probe(attempt)`) and waits a
 * little for it, again and again, until one arrives or the deadline passes. Probes that arrive
 * later are the caller's to skip (they match `isProbe`).
 */
export async function untilLive<T>(
  subscription: WsSubscription<T> | { results: Result<T>[]; waitFor: WsSubscription<T>['waitFor'] },
  probe: (attempt: number) => Promise<unknown>,
  isProbe: (result: Result<T>) => boolean,
  { timeoutMs = 15_000, retryMs = 250 } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    const after = subscription.results.length;
    await probe(attempt);
    try {
      await subscription.waitFor(isProbe, { after, timeoutMs: Math.max(1, Math.min(retryMs * attempt, deadline - Date.now())) });
      return;
    } catch (error) {
      if (Date.now() >= deadline)
        throw new Error(`subscription not live within ${timeoutMs} ms: ${(error as Error).message}`, { cause: error });
    }
  }
}

// GET /health: the process is up and can serve GraphQL (liveness).
// GET /ready: the database answers too (readiness): 503 takes an instance out of rotation.
import type { Plugin } from 'graphql-yoga';
import { errorBody } from '../errors.js';
import type { Log } from '../log.js';

/** @default 2000 ms: a readiness probe longer than this counts as "not ready". */
const READY_TIMEOUT_MS = 2000;

type Hook = Pick<Parameters<NonNullable<Plugin['onRequest']>>[0], 'request' | 'url' | 'endResponse' | 'fetchAPI'>;

export function useHealth(ping: () => Promise<void>, log: Log): Plugin {
  return {
    // Not async: every other request passes through here, and must not pay for a promise.
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname === '/health') {
        endResponse(new fetchAPI.Response(JSON.stringify({ status: 'ok' }), { status: 200, headers: json() }));
      } else if (url.pathname === '/ready') {
        return answerReady(ping, log, { request, url, endResponse, fetchAPI });
      }
    },
  };
}

async function answerReady(ping: () => Promise<void>, log: Log, { request, url, endResponse, fetchAPI }: Hook): Promise<void> {
  const ready = await withTimeout(ping(), READY_TIMEOUT_MS).then(
    () => true,
    (error: unknown) => {
      log.warn({ err: error, path: url.pathname, method: request.method }, 'readiness check failed: the database does not answer');
      return false;
    },
  );
  endResponse(
    ready
      ? new fetchAPI.Response(JSON.stringify({ status: 'ready' }), { status: 200, headers: json() })
      : new fetchAPI.Response(errorBody('The database does not answer.', 'SERVICE_UNAVAILABLE'), { status: 503, headers: json() }),
  );
}

// A fresh object per response: the Response keeps the object it is given and writes its own
// Content-Length into it, which a shared object would hand on to the next probe's answer.
const json = () => ({ 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// X-Request-ID on every response, GraphQL or not. A client's short plain id is echoed so it can
// find its request in our logs; anything else is replaced by a fresh one (never reflected as is).
import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';

const PLAIN_ID = /^[A-Za-z0-9\-_.:]{1,128}$/;

/** The client's id if it is short and plain, else a fresh one. */
export function chooseRequestId(incoming: string | null | undefined): string {
  return incoming && PLAIN_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * The id of a request, chosen the first time it is asked for and kept on yoga's server context:
 * one object per request, the same in every hook, on which yoga builds the GraphQL context (whose
 * requestId is this one). Chosen lazily, not in onRequest: a CORS preflight is answered before
 * this plugin's onRequest would run, and its response gets an id too.
 */
export function requestIdOf(serverContext: object, request: Request): string {
  const context = serverContext as { requestId?: string };
  context.requestId ??= chooseRequestId(request.headers.get('x-request-id'));
  return context.requestId;
}

export function useRequestId(): Plugin {
  return {
    onResponse({ request, response, serverContext }) {
      response.headers.set('X-Request-ID', requestIdOf(serverContext, request));
    },
  };
}

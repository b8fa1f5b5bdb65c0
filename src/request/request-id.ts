// X-Request-ID on every response, GraphQL or not. A client's short plain id is echoed so it can
// find its request in our logs; anything else is replaced by a fresh one (never reflected as is).
import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';

const PLAIN_ID = /^[A-Za-z0-9\-_.:]{1,128}$/;

/** The client's id if it is short and plain, else a fresh one. */
export function chooseRequestId(incoming: string | null | undefined): string {
  return incoming && PLAIN_ID.test(incoming) ? incoming : randomUUID();
}

const ids = new WeakMap<Request, string>();

export function requestIdOf(request: Request): string {
  let id = ids.get(request);
  if (!id) {
    id = chooseRequestId(request.headers.get('x-request-id'));
    ids.set(request, id);
  }
  return id;
}

export function useRequestId(): Plugin {
  return {
    onResponse({ request, response }) {
      response.headers.set('X-Request-ID', requestIdOf(request));
    },
  };
}

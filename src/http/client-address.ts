// Who is asking, when no token says: the client's address, which scopes anonymous idempotency
// keys (and, later, anonymous rate limits). For now the socket's remote address; TRUST_PROXY
// (the rightmost X-Forwarded-For address that is not a trusted proxy) belongs here too.
import type { IncomingMessage } from 'node:http';

/** `serverContext` is yoga's: on node's http server it carries the IncomingMessage as `req`. */
export function clientAddress(serverContext: unknown): string | null {
  const req = (serverContext as { req?: IncomingMessage } | null | undefined)?.req;
  return req?.socket?.remoteAddress ?? null;
}

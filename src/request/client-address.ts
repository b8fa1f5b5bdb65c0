// Who is asking, when no token says: the client's address, which scopes anonymous idempotency
// keys and anonymous rate limits. The socket's remote address, unless TRUST_PROXY names the proxy
// it comes from: then the rightmost X-Forwarded-For address that is not a trusted proxy (the
// leftmost is whatever the client wrote). The header is never read from anyone else.
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP, isIPv4 } from 'node:net';
import type { Plugin } from 'graphql-yoga';

export type ProxyTrust = { isTrusted(address: string): boolean };

/** From config.trustedProxies (addresses or CIDR ranges, already checked by config.ts). */
export function proxyTrust(entries: readonly string[]): ProxyTrust {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/');
    const family = isIPv4(address) ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return {
    isTrusted: (address) => {
      if (entries.length === 0) return false;
      const plain = unmapped(address);
      return list.check(plain, isIPv4(plain) ? 'ipv4' : 'ipv6');
    },
  };
}

/**
 * The client of a request arriving at `socketAddress` with this X-Forwarded-For header. Usable
 * for any transport: the WebSocket upgrade passes its IncomingMessage's values.
 */
export function resolveClientAddress(
  socketAddress: string | null | undefined,
  forwardedFor: string | string[] | null | undefined,
  trust: ProxyTrust,
): string | null {
  if (!socketAddress) return null;
  let client = unmapped(socketAddress);
  if (!trust.isTrusted(client) || !forwardedFor) return client;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',').map((hop) => hop.trim());
  // From the right: each trusted hop vouches for the one before it; the first untrusted one is the client.
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = unmapped(hops[i]!);
    if (isIP(hop) === 0) return client; // garbage in the chain: stop at the last address we could vouch for
    client = hop;
    if (!trust.isTrusted(hop)) return client;
  }
  return client;
}

/** The client address of an IncomingMessage (an HTTP request or a WebSocket upgrade). */
export function clientAddressOf(req: IncomingMessage, trust: ProxyTrust): string | null {
  return resolveClientAddress(remoteAddressOf(req), req.headers['x-forwarded-for'], trust);
}

/** The socket's remote address; none once Node has nulled the request's socket (after destroy(), as its docs say). */
function remoteAddressOf(req: IncomingMessage): string | undefined {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- @types/node types `socket` as always set, but Node nulls it when the request is destroyed
  return req.socket?.remoteAddress;
}

/**
 * yoga's server context: on node's http server it carries the IncomingMessage as `req`. It is one
 * object per request, the same in every hook, and the GraphQL context is built on it; the address
 * resolved first thing is kept on it.
 */
type AddressedServerContext = { req?: IncomingMessage; clientAddress?: string | null };

/** Resolves each request's client address once, first thing, for every later hook to read. */
export function useClientAddress(trust: ProxyTrust): Plugin {
  return {
    onRequest({ serverContext }) {
      const context = serverContext as AddressedServerContext;
      if (context.req) context.clientAddress = clientAddressOf(context.req, trust);
    },
  };
}

/** `serverContext`: yoga's, or the GraphQL context built on it. */
export function clientAddress(serverContext: unknown): string | null {
  const context = serverContext as AddressedServerContext | null | undefined;
  const req = context?.req;
  if (!req) return null;
  return context.clientAddress !== undefined ? context.clientAddress : unmapped(remoteAddressOf(req) ?? '') || null;
}

/** ::ffff:127.0.0.1 (an IPv4 client on a dual-stack socket) is 127.0.0.1. */
function unmapped(address: string): string {
  return address.startsWith('::ffff:') && isIPv4(address.slice(7)) ? address.slice(7) : address;
}

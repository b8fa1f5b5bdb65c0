// A TCP proxy in front of a real server (Postgres) that a test can cut and restore: a real
// network failure, as the app sees one, without touching the database itself.
//  - cut(): every open connection is reset and the port stops accepting (ECONNREFUSED);
//  - freeze(): connections stay open and new ones are accepted, but no byte gets through either
//    way, as in a network partition (no RST ever arrives);
//  - freezeWhere(match): freeze() for the open connections whose first bytes from the client
//    match (e.g. all but those that named themselves with CLIENT SETNAME);
//  - restore(): the same port accepts and forwards again (after a freeze: on new connections).
import net from 'node:net';
import { afterAll } from 'vitest';

export type TcpProxy = {
  port: number;
  /** `url` with its host and port replaced by the proxy's. */
  urlFor(url: string): string;
  cut(): Promise<void>;
  freeze(): void;
  freezeWhere(match: (opening: string) => boolean): void;
  restore(): Promise<void>;
  close(): Promise<void>;
};

const openProxies = new Set<TcpProxy>();
afterAll(async () => {
  await Promise.all([...openProxies].map((proxy) => proxy.close()));
});

/** How much of what a client sends first is kept for freezeWhere to match. */
const OPENING_CHARS = 512;

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let isFrozen = false;
  let isPartlyFrozen = false;
  /** What each open connection's client sent first, and whether that connection is frozen. */
  const connections = new Map<net.Socket, { opening: string; isFrozen: boolean }>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const server = net.createServer((downstream) => {
    const upstream = net.connect(target.port, target.host);
    track(downstream);
    track(upstream);
    const connection = { opening: '', isFrozen: false };
    connections.set(downstream, connection);
    downstream.once('close', () => connections.delete(downstream));
    // Either side failing takes the other down, as a broken network path would.
    const destroyBoth = () => {
      downstream.destroy();
      upstream.destroy();
    };
    downstream.on('error', destroyBoth).on('close', destroyBoth);
    upstream.on('error', destroyBoth).on('close', destroyBoth);
    // Not pipe(): a frozen proxy drops the bytes, and a connection that lost bytes is never
    // resumed (restore() resets it first).
    downstream.on('data', (chunk: Buffer) => {
      if (connection.opening.length < OPENING_CHARS) connection.opening += chunk.toString('latin1').slice(0, OPENING_CHARS);
      if (!isFrozen && !connection.isFrozen) upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (!isFrozen && !connection.isFrozen) downstream.write(chunk);
    });
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(0);
  const port = (server.address() as net.AddressInfo).port;

  const cut = async () => {
    isFrozen = false;
    isPartlyFrozen = false;
    if (!server.listening) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // resetAndDestroy sends RST, like a peer that went away; plain destroy would send FIN.
    for (const socket of sockets) socket.resetAndDestroy();
    await closed;
  };
  const proxy: TcpProxy = {
    port,
    urlFor(url) {
      const proxied = new URL(url);
      proxied.hostname = '127.0.0.1';
      proxied.port = String(port);
      return proxied.href;
    },
    cut,
    freeze: () => {
      isFrozen = true;
    },
    freezeWhere: (match) => {
      isPartlyFrozen = true;
      for (const connection of connections.values()) if (match(connection.opening)) connection.isFrozen = true;
    },
    restore: async () => {
      if (isFrozen || isPartlyFrozen) await cut();
      if (!server.listening) await listen(port);
    },
    close: async () => {
      openProxies.delete(proxy);
      await cut();
    },
  };
  openProxies.add(proxy);
  return proxy;
}

// Subscriptions, wired together for one app: pub/sub (./pubsub.ts), this instance's fan-out
// (./fan-out.ts) and the WebSocket transport (./ws.ts); the revocations that close subscriptions
// opened with a revoked token on every instance; and the order they stop in.
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { readCredentials, type Credentials } from '../auth/credentials.js';
import type { TokenConfig } from '../auth/token.js';
import type { Config } from '../config.js';
import type { Context } from '../context.js';
import { checkViewer } from '../auth/authentication.js';
import { proxyTrust } from '../request/client-address.js';
import type { EventLoaders } from '../loaders/event.js';
import type { Log } from '../log.js';
import type { RequestRecord } from '../telemetry/request-record.js';
import type { Counters } from '../metrics/metrics.js';
import { createFanOut, type EventTopic, type FanOut } from './fan-out.js';
import { createPubSub } from './pubsub.js';
import { attachWebSocket, type OperationGuards, type WebSocketOptions, type WebSocketTransport } from './ws.js';

/** `telemetry`: the HTTP request's record (src/telemetry/request-record.ts); none over WebSocket. */
export type MakeContext = (requestId: string, credentials: Credentials, socket: Context['socket'], telemetry?: RequestRecord) => Context;

export type Realtime = {
  fanOut: FanOut;
  /** Serves GraphQL over WebSocket on the server's `path`, once yoga exists. */
  attach(options: {
    server: Server;
    path: string;
    getEnveloped: WebSocketOptions['getEnveloped'];
    makeContext: MakeContext;
    tokens: TokenConfig;
    guards: OperationGuards;
  }): void;
  /**
   * Graceful shutdown, while `httpStopped` (the HTTP server's own) runs: refuse new subscribers;
   * take no more events and send those queued; close every socket with 1001 once the operations
   * under way are done; end SSE streams; and, once HTTP is done (its last mutations have published
   * to the other instances), disconnect from Redis.
   */
  stop(deadline: number, httpStopped: Promise<void>): Promise<void>;
  /** What is open now, for the metrics. */
  stats(): { webSockets: number; subscribers: Record<EventTopic, number> };
};

/** `counters`: events published and delivered, connections refused (src/metrics/metrics.ts). */
export function createRealtime(config: Config, log: Log, newEventLoaders: () => EventLoaders, counters: Counters): Realtime {
  const pubsub = createPubSub(config.redis, log);
  const fanOut = createFanOut(pubsub, newEventLoaders, config.realtime.maxQueuedEvents, log, counters);
  let transport: WebSocketTransport | null = null;
  // logOut and deleteUser publish after commit (src/schema/account.ts, user-mutations.ts); every
  // instance, this one included, closes what it holds open with the revoked tokens. Subscribed
  // from the start and never waited on: with Redis down, nothing else would be delivered either.
  pubsub
    .subscribe('tokensRevoked', ({ userId, tokenVersion }) => {
      transport?.revoke(userId, tokenVersion);
      fanOut.revoke(userId, tokenVersion);
    })
    .catch((err: unknown) => log.warn({ err }, 'could not listen for token revocations'));
  return {
    fanOut,
    stats: () => ({ webSockets: transport?.openCount() ?? 0, subscribers: fanOut.subscriberCounts() }),
    attach({ server, path, getEnveloped, makeContext, tokens, guards }) {
      transport = attachWebSocket({
        server,
        path,
        getEnveloped,
        guards,
        // The token of connection_init: invalid, revoked or its user deleted → refused (4403).
        authenticate: async (authorization) => {
          const credentials = await readCredentials(authorization, tokens);
          if (credentials.kind === 'invalid') return false;
          if (credentials.kind === 'token' && (await checkViewer(makeContext(randomUUID(), credentials, null)))) return false;
          return credentials;
        },
        settings: config.realtime,
        // The request body limit applies to each frame: ws closes with 1009 on a bigger one.
        maxPayloadBytes: config.limits.maxBodyBytes,
        trust: proxyTrust(config.trustedProxies),
        log,
        refused: counters.refused,
      });
    },
    async stop(deadline, httpStopped) {
      transport?.refuse();
      await fanOut.drain(deadline);
      await transport?.close(deadline);
      fanOut.abortAll();
      await httpStopped;
      await pubsub.close();
    },
  };
}

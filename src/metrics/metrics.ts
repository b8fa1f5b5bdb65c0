// The Prometheus metrics of one app (the contract's "Operations"): prom-client's process
// defaults, and what an on-call engineer asks of a GraphQL server that a plain HTTP dashboard
// cannot answer, since every request is POST /graphql. One registry per app: tests start several
// apps in one process. Served at GET /metrics (./plugin.ts), or on METRICS_PORT (./server.ts).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Database } from '../db/database.js';
import { operationNames } from './operation-names.js';

/** Seconds: from a millisecond to the statement timeout's range. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export type Metrics = ReturnType<typeof createMetrics>;

/** What is open now: read at each scrape (src/realtime/realtime.ts). */
export type OpenStreams = () => { webSockets: number; subscribers: Record<string, number> };

export function createMetrics(database: Database, openStreams: OpenStreams) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  new Gauge({
    name: 'db_pool_connections',
    help: 'Database connections by state: in_use, idle, and waiting (requests queued for a connection). The embedded database has one connection.',
    labelNames: ['state'],
    registers,
    collect() {
      if (database.driver !== 'pg') {
        this.set({ state: 'in_use' }, 1);
        return;
      }
      const { totalCount, idleCount, waitingCount } = database.pool;
      this.set({ state: 'in_use' }, totalCount - idleCount);
      this.set({ state: 'idle' }, idleCount);
      this.set({ state: 'waiting' }, waitingCount);
    },
  });
  new Gauge({
    name: 'websocket_connections_open',
    help: 'WebSockets open on this instance.',
    registers,
    collect() {
      this.set(openStreams().webSockets);
    },
  });
  new Gauge({
    name: 'subscriptions_active',
    help: 'Subscribers on this instance (WebSocket and SSE), by subscription field.',
    labelNames: ['field'],
    registers,
    collect() {
      for (const [field, count] of Object.entries(openStreams().subscribers)) this.set({ field }, count);
    },
  });
  return {
    registry,
    /** The operation_name label of a name a client sent: bounded (./operation-names.ts). */
    operationName: operationNames(),
    operationDuration: new Histogram({
      name: 'graphql_operation_duration_seconds',
      help: 'Time from the guards to the result of each query and mutation (REST routes as their operation), by operation name and type.',
      labelNames: ['operation_name', 'operation_type'],
      buckets: DURATION_BUCKETS,
      registers,
    }),
    errors: new Counter({
      name: 'graphql_errors_total',
      help: 'Errors in answers over HTTP, by extensions.code.',
      labelNames: ['code'],
      registers,
    }),
    cacheLookups: new Counter({
      name: 'response_cache_lookups_total',
      help: 'Response cache lookups, by outcome: hit, miss, or error (the cache could not be reached).',
      labelNames: ['outcome'],
      registers,
    }),
  };
}

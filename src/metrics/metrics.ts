// The Prometheus metrics of one app (the contract's "Operations"): prom-client's process
// defaults, and what an on-call engineer asks of a GraphQL server that a plain HTTP dashboard
// cannot answer, since every request is POST /graphql. One registry per app: tests start several
// apps in one process. Served at GET /metrics (./plugin.ts), or on METRICS_PORT (./server.ts).
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { FastHistogram } from './fast-histogram.js';
import type { Database } from '../db/database.js';
import { operationNames } from './operation-names.js';
import { clusterScrape, isClusterWorker } from './cluster-metrics.js';

/** Seconds: from a millisecond to the statement timeout's range. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export type Metrics = ReturnType<typeof createMetrics>;

/** Statements per operation: 0 (a cache hit, a refusal) to well past what a bounded operation sends. */
const STATEMENT_BUCKETS = [0, 1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 50, 100];
/** Keys per DataLoader batch: 1 (no batching happened) to the largest page's fan-out. */
const BATCH_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

/**
 * Why a client was refused for going too fast: its cost budget (RATE_LIMITED over HTTP, SSE or
 * WebSocket), its sign-up and log-in attempts, too many open SSE streams or WebSockets, or too
 * many scrapes of /metrics on the main port.
 */
export type RefusalKind = 'budget' | 'sign_in_attempts' | 'sse_streams' | 'websocket_connections' | 'metrics_scrapes';

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
    /** The text exposition: this process's, or with WORKERS > 1 the whole service's (./cluster-metrics.ts). */
    scrape: isClusterWorker() ? clusterScrape(registry) : () => registry.metrics(),
    /** The operation_name label of a name a client sent: bounded (./operation-names.ts). */
    operationName: operationNames(),
    operationDuration: new FastHistogram({
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
    operationStatements: new FastHistogram({
      name: 'graphql_operation_sql_statements',
      help: 'SQL statements sent per request that ran an operation (REST routes as their route), by operation name and type.',
      labelNames: ['operation_name', 'operation_type'],
      buckets: STATEMENT_BUCKETS,
      registers,
    }),
    loaderBatchSize: new FastHistogram({
      name: 'dataloader_batch_size',
      help: 'Keys per DataLoader batch, by loader: one statement answers a whole batch.',
      labelNames: ['loader'],
      buckets: BATCH_BUCKETS,
      registers,
    }),
    eventsPublished: new Counter({
      name: 'subscription_events_published_total',
      help: 'Subscription events published by this instance (after their commit), by subscription field.',
      labelNames: ['field'],
      registers,
    }),
    eventsDelivered: new Counter({
      name: 'subscription_events_delivered_total',
      help: 'Subscription events sent to a subscriber of this instance (those its filter let through), by subscription field.',
      labelNames: ['field'],
      registers,
    }),
    rateLimitRefusals: new Counter({
      name: 'rate_limit_refusals_total',
      help: 'Requests refused for going too fast, by kind: budget, sign_in_attempts, sse_streams, websocket_connections, metrics_scrapes.',
      labelNames: ['kind'],
      registers,
    }),
    deprecatedFieldUsage: new Counter({
      name: 'graphql_deprecated_field_usage_total',
      help: 'Operations that selected a deprecated field or argument, by its coordinate (Type.field).',
      labelNames: ['field'],
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

/** The labels of an operation in the metrics: a REST route by its route, else by bounded name and type. */
export function operationLabels(
  metrics: Metrics,
  record: { route: string | null; operationName: string | null; operationType: string | null },
) {
  return {
    operation_name: record.route ?? metrics.operationName(record.operationName ?? undefined),
    operation_type: record.operationType ?? 'unknown',
  };
}

/**
 * What the guards and the subscriptions report, apart from prom-client: they take these, and
 * count nothing when the metrics are off (METRICS=false).
 */
export type Counters = {
  refused: (kind: RefusalKind) => void;
  published: (field: string) => void;
  delivered: (field: string) => void;
};

export function countersOf(metrics: Metrics | null): Counters {
  const ignore = () => undefined;
  if (!metrics) return { refused: ignore, published: ignore, delivered: ignore };
  return {
    refused: (kind) => metrics.rateLimitRefusals.inc({ kind }),
    published: (field) => metrics.eventsPublished.inc({ field }),
    delivered: (field) => metrics.eventsDelivered.inc({ field }),
  };
}

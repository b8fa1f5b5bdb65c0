// createApp(config, database, log): the HTTP server with yoga on it. No process globals: tests
// start several apps in one process, each on its own port and database.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { useGraphQlJit } from '@envelop/graphql-jit';
import { createYoga } from 'graphql-yoga';
import type { Config } from './config.js';
import { createContext, createEventLoaders } from './context.js';
import type { Database } from './db/client.js';
import { BATCHED_LOADERS, type LoaderFactory } from './loaders/index.js';
import type { Log } from './log.js';
import { createRequestCredentials, type RequestCredentials } from './auth/credentials.js';
import type { DeprecationRegistry } from './api/deprecation-registry.js';
import { deprecations } from './api/deprecations.js';
import { useAtomicMutations } from './http/atomic-mutations.js';
import { useAuthentication } from './auth/authentication.js';
import { proxyTrust, useClientAddress } from './request/client-address.js';
import { answerClientErrors, serverTimeouts } from './http/client-errors.js';
import { corsOptions } from './http/cors.js';
import { useDeprecationHeaders } from './http/deprecation.js';
import { useErrorCodes } from './http/error-codes.js';
import { useErrorLog } from './http/error-log.js';
import { useGraphiQL } from './http/graphiql.js';
import { useHealth } from './http/health.js';
import { useIdempotency } from './http/idempotency.js';
import { maskError } from './http/mask-errors.js';
import { useNotFound } from './http/not-found.js';
import { useRevalidation } from './http/revalidation.js';
import { useRequestFormat } from './http/request-format.js';
import { requestIdOf, useRequestId } from './request/request-id.js';
import { useSseStreamLimit } from './http/sse-limit.js';
import { createGuards, type Guards } from './limits/guard.js';
import { connectRedis } from './limits/redis.js';
import { cacheControl } from './http/cache-control.js';
import { createResponseCache, type ResponseCache } from './cache/response-cache.js';
import { memoryStore } from './cache/store.js';
import { redisStore } from './cache/redis-store.js';
import { useGuards } from './limits/plugin.js';
import { createRealtime, type MakeContext } from './realtime/realtime.js';
import type { WebSocketInitialContext } from './realtime/ws.js';
import { createDocsPage } from './rest/docs-page.js';
import { openApiRoute } from './rest/openapi-route.js';
import { useRest, type ExecuteGraphQL } from './rest/plugin.js';
import { schema } from './schema/index.js';
import { hasOneOperation } from './operation/single-operation.js';
import { countersOf, createMetrics, type Counters, type Metrics } from './metrics/metrics.js';
import { useRequestTelemetry } from './telemetry/plugin.js';
import { recordOf } from './telemetry/request-record.js';
import { useMetrics } from './metrics/plugin.js';
import { createMetricsServer, METRICS_PATH } from './metrics/server.js';

export const GRAPHQL_PATH = '/graphql';

export type App = {
  server: Server;
  /** Listens on config's host and the given port (0: any free port); resolves to the URL. */
  start(port?: number): Promise<URL>;
  /** Where GET /metrics is served once started: METRICS_PORT's server, or the main port; null with METRICS=false. */
  metricsUrl(): URL | null;
  /** Stops accepting, lets in-flight requests finish (up to shutdownTimeoutMs), then closes. */
  stop(): Promise<void>;
};

/**
 * `loaders`: BATCHED_LOADERS unless the bench's naive server asks otherwise (src/main.ts).
 * `deprecations`: src/api/deprecations.ts's registry; tests pass another to see the headers of
 * deprecated fields while the schema has none.
 */
export type AppOptions = { loaders?: LoaderFactory; deprecations?: DeprecationRegistry };

/** `jwtSecret`: from loadJwtSecret (src/auth/secret.ts), which may read or create it on disk. */
export function createApp(config: Config, database: Database, log: Log, jwtSecret: Uint8Array, options: AppOptions = {}): App {
  const loaderFactory = options.loaders ?? BATCHED_LOADERS;
  const tokens = { secret: jwtSecret, expiresInSeconds: config.auth.tokenTtlSeconds };
  // Read once per request, by the rate limit before parsing and by the context after.
  const requestCredentials = createRequestCredentials(tokens);
  // One connection for the rate limits and the response cache (pub/sub opens its own: src/realtime/pubsub.ts).
  const redis = config.redis.url ? connectRedis(config.redis.url, log) : null;
  // Issue 16: Prometheus metrics, at GET /metrics or on METRICS_PORT (none with METRICS=false).
  const metrics = config.telemetry.metrics ? createMetrics(database, () => realtime.stats()) : null;
  const counters = countersOf(metrics);
  const metricsServer = metrics && config.http.metricsPort !== null ? createMetricsServer(metrics) : null;
  // Depth, cost, shape and rate limits (src/limits/guard.ts), shared with the WebSocket transport.
  const guards = createGuards(config, schema, log, redis, counters.refused);
  // Subscriptions (issue 7): pub/sub, this instance's fan-out, and GraphQL over WebSocket.
  const realtime = createRealtime(config, log, () => createEventLoaders(database.db, loaderFactory), counters);
  // Issue 15: answers to queries, in Redis when there is one (shared by every instance).
  const responseCache = config.cache.responses
    ? createResponseCache(
        redis ? redisStore(redis.client, config.redis.prefix, config.cache.ttlMs) : memoryStore(config.cache.ttlMs),
        config.cache.ttlMs,
        log,
        (outcome) => metrics?.cacheLookups.inc({ outcome }),
      )
    : null;
  const makeContext: MakeContext = (requestId, credentials, socket, telemetry) =>
    createContext({
      telemetry,
      db: database.db,
      log: log.child({ requestId }),
      requestId,
      credentials,
      tokens,
      loaderFactory,
      pubsub: realtime.fanOut,
      socket,
    });
  const yoga = createYoga({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    landingPage: false,
    graphiql: false, // served by useGraphiQL: precompressed, cacheable, no CDN
    healthCheckEndpoint: false as unknown as string, // served by useHealth, with /ready beside it
    cors: corsOptions(config),
    maxRequestBodySize: false, // enforced by useRequestBodyLimit, without wrapping every body (src/limits/body-size.ts)
    maskedErrors: { maskError },
    logging: yogaLogging(log),
    context: async (initial) => {
      // An operation over WebSocket (src/realtime/ws.ts) comes with its connection's credentials.
      const ws = (initial as Partial<WebSocketInitialContext>).webSocket;
      if (ws) return makeContext(ws.requestId, ws.credentials, ws.socket);
      const { request } = initial;
      return makeContext(requestIdOf(initial, request), await requestCredentials(request), null, recordOf(initial));
    },
    plugins: yogaPlugins({
      config,
      database,
      log,
      guards,
      requestCredentials,
      executeGraphQL: (request, context): Promise<Response> => Promise.resolve(yoga.handleRequest(request, context)),
      deprecations: options.deprecations ?? deprecations,
      responseCache,
      metrics,
      counters,
    }),
  });

  // Slow-loris bounds and Node's own 400/408/431 answers, with our headers (issue 11).
  const server = createServer(serverTimeouts(config.http), yoga.requestListener);
  answerClientErrors(server, log);
  realtime.attach({ server, path: GRAPHQL_PATH, getEnveloped: yoga.getEnveloped, makeContext, tokens, guards });
  let metricsUrl: URL | null = null;
  return {
    server,
    start: async (port = config.http.port) => {
      await redis?.ready();
      const url = await listen(server, config.http.host, port);
      if (metricsServer) metricsUrl = new URL(METRICS_PATH, await listen(metricsServer, config.http.host, config.http.metricsPort!));
      else if (metrics) metricsUrl = new URL(METRICS_PATH, url);
      return url;
    },
    metricsUrl: () => metricsUrl,
    stop: async () => {
      const deadline = Date.now() + config.http.shutdownTimeoutMs;
      await realtime.stop(deadline, stopServer(server, config.http.shutdownTimeoutMs));
      await redis?.close();
      if (metricsServer) await stopServer(metricsServer, config.http.shutdownTimeoutMs);
    },
  };
}

type PluginParts = {
  config: Config;
  database: Database;
  log: Log;
  guards: Guards;
  requestCredentials: RequestCredentials;
  /** Runs a request through this yoga: how REST routes run their operations. */
  executeGraphQL: ExecuteGraphQL;
  deprecations: DeprecationRegistry;
  /** null when RESPONSE_CACHE=false. */
  responseCache: ResponseCache | null;
  /** null when METRICS=false. */
  metrics: Metrics | null;
  counters: Counters;
};

/** yoga's plugins, in the order a request meets them (README, "The path of one request"). */
function yogaPlugins({
  config,
  database,
  log,
  guards,
  requestCredentials,
  executeGraphQL,
  deprecations,
  responseCache,
  metrics,
  counters,
}: PluginParts) {
  const getCacheControl = cacheControl(config.cache.publicMaxAgeSeconds);
  return [
    // First: every request's record, trace and log line (src/telemetry/plugin.ts) wrap all the rest.
    useRequestTelemetry({ metrics, log, slowOperationMs: config.telemetry.slowOperationMs }),
    useRequestId(),
    useClientAddress(proxyTrust(config.trustedProxies)),
    useHealth(() => database.ping(), log),
    // GET /metrics (unless METRICS_PORT); before the guards, so an operation is timed from its
    // admission, refusals included.
    ...(metrics ? [useMetrics(metrics, config.http.metricsPort === null ? METRICS_PATH : null)] : []),
    // REST v1: each route runs its operation back through this pipeline (src/rest/plugin.ts).
    useRest({
      schema,
      graphqlPath: GRAPHQL_PATH,
      maxBodyBytes: guards.limits.maxBodyBytes,
      execute: executeGraphQL,
      requestCredentials,
      deprecations,
      cacheControl: getCacheControl,
      extras: [openApiRoute(schema, deprecations), createDocsPage()],
    }),
    useNotFound(GRAPHQL_PATH),
    useGraphiQL(GRAPHQL_PATH),
    useRequestFormat(),
    useSseStreamLimit(config.realtime.sseMaxStreamsPerAddress, () => counters.refused('sse_streams')),
    // Before useAuthentication and useIdempotency: a refused request sends no SQL.
    useGuards(guards, { graphqlPath: GRAPHQL_PATH, persistedMode: config.persistedOperations.mode, requestCredentials, log }),
    // Before useIdempotency: its replay copies the headers set here, and an operation it
    // replays is still seen here (it stops the hooks after it); before the cache, whose hits too.
    useDeprecationHeaders(deprecations, schema, (field) => metrics?.deprecatedFieldUsage.inc({ field })),
    // After the guards (a hit is charged its cost), before the token's check: a hit sends no SQL.
    ...(responseCache ? [responseCache.lookup] : []),
    useAuthentication(),
    useIdempotency(config.idempotency, database.db, log),
    useErrorCodes(),
    useErrorLog(log),
    // Queries and mutations run as code compiled once per document (graphql-jit) instead of
    // graphql-js walking the document for every request: the bench measured it (bench/RESULTS.md).
    // Subscriptions keep graphql-js's subscribe: only execution is swapped. A document with
    // several operations runs on graphql-js too (src/operation/single-operation.ts).
    {
      onExecute: useGraphQlJit(
        {},
        {
          onError: (result) => log.debug({ errors: result.errors?.map(String) }, 'graphql-jit could not compile an operation'),
          enableIf: (args) => hasOneOperation(args.document),
        },
      ).onExecute,
    },
    useAtomicMutations(), // after graphql-jit: it wraps the executor jit sets (issue 11)
    // Around the transaction: a mutation's response waits until what it changed is dropped.
    ...(responseCache ? [responseCache.invalidation] : []),
    // Last: it revalidates GET answers with the headers every plugin above has set.
    useRevalidation(GRAPHQL_PATH, getCacheControl),
  ];
}

function yogaLogging(log: Log) {
  return {
    // yoga logs at debug on every request: the message is built only when it will be written.
    debug: (...args: unknown[]) => {
      if (log.isLevelEnabled('debug')) log.debug(args.map(String).join(' '));
    },
    info: (...args: unknown[]) => log.info(args.map(String).join(' ')),
    warn: (...args: unknown[]) => log.warn(args.map(String).join(' ')),
    // yoga logs each error it masks, without the request id; useErrorLog logs the same ones
    // with it. Kept at debug so that an error is logged once.
    error: (...args: unknown[]) => log.debug(args.map(String).join(' ')),
  };
}

/** Resolves to the URL of /graphql once the server listens (port 0: any free port). */
function listen(server: Server, host: string, port: number): Promise<URL> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address() as AddressInfo;
      const shownHost = host.includes(':') ? `[${host}]` : host;
      resolve(new URL(`http://${shownHost}:${actual}${GRAPHQL_PATH}`));
    });
  });
}

async function stopServer(server: Server, timeoutMs: number): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Keep-alive sockets would hold close() open: end each as soon as it has no request in
  // flight (those finishing their response become idle later, hence the repeat).
  server.closeIdleConnections();
  const sweeper = setInterval(() => server.closeIdleConnections(), 50);
  const deadline = setTimeout(() => server.closeAllConnections(), timeoutMs);
  await closed;
  clearInterval(sweeper);
  clearTimeout(deadline);
}

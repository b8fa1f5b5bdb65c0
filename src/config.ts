// Reads and checks every environment variable once. The rest of the code takes a Config,
// never process.env, so tests can run several differently configured servers in one process.
import { isIP } from 'node:net';
import path from 'node:path';

export type Config = Readonly<{
  isProduction: boolean;
  http: Readonly<{
    port: number;
    /** METRICS_PORT: GET /metrics on its own port (same host); null → on the main port. 0: any free port (tests). */
    metricsPort: number | null;
    host: string;
    /** null → any origin (outside production); [] → none. */
    corsOrigins: readonly string[] | null;
    /** @default 10000 ms: how long SIGTERM waits for in-flight requests. */
    shutdownTimeoutMs: number;
    /** @default 10000 ms: a client whose request headers are not all in by then is cut off (slow-loris). */
    headersTimeoutMs: number;
    /** @default 30000 ms: a client whose whole request (headers and body) is not in by then is cut off. */
    requestTimeoutMs: number;
    /** @default 5000 ms (Node's): an idle keep-alive connection is closed after this; above a load balancer's idle timeout. */
    keepAliveTimeoutMs: number;
  }>;
  db: Readonly<{
    /** null → embedded PGlite under dataDir. */
    url: string | null;
    /** @default 10 connections per process */
    poolSize: number;
    /** @default 5000 ms; Postgres cancels a longer statement (PGlite cannot). */
    statementTimeoutMs: number;
    /** @default 3000 ms: waiting longer for a pooled connection fails the request with 503. */
    connectTimeoutMs: number;
    /** @default true; false → the server only checks that no migration is pending (`npm run db:migrate` applies them). */
    migrateOnStart: boolean;
  }>;
  auth: Readonly<{
    /** null → generated once and kept in dataDir (refused in production). */
    jwtSecret: string | null;
    /** @default 604800 s (7 days): how long a token from createUser/logIn works. */
    tokenTtlSeconds: number;
  }>;
  idempotency: Readonly<{
    /** @default false: when true, a mutation without Idempotency-Key is refused (400). */
    required: boolean;
    /** @default 60 s: a claim whose request never finished is free again after this. */
    leaseSeconds: number;
    /** @default 86400 s (24 h): how long a key and its response are kept. */
    ttlSeconds: number;
  }>;
  /** Guard rails (issue 6): every check runs before execution; see README "Limits". */
  limits: Readonly<{
    /** @default 10 levels, the root field counting as 1. */
    maxDepth: number;
    /** @default 1000 cost points per operation (the contract's formula, src/limits/cost.ts). */
    maxCost: number;
    /** @default 30 aliased fields per operation, fragments expanded. */
    maxAliases: number;
    /** @default 50 directives per operation, fragments expanded. */
    maxDirectives: number;
    /** @default 2000 tokens per document: the parser stops at the next one. */
    maxTokens: number;
    /** @default 1048576 bytes (1 MiB) per request body (and, for WebSocket, per frame). */
    maxBodyBytes: number;
    /** @default 18 levels under __schema/__type (GraphiQL's introspection query needs 15). */
    maxIntrospectionDepth: number;
    /** @default true: false refuses __schema and __type (GRAPHQL_VALIDATION_FAILED). */
    introspection: boolean;
    /** @default true outside production: "Did you mean …?" in validation messages. */
    fieldSuggestions: boolean;
  }>;
  rateLimit: Readonly<{
    /** @default 10000 cost points per identity per window. */
    points: number;
    /** @default 60 s, a fixed window from the identity's first request. */
    windowSeconds: number;
    /** @default 10 failed logIns per email per auth window. */
    authFailuresPerEmail: number;
    /** @default 100 logIn/createUser attempts per client address per auth window. */
    authAttemptsPerAddress: number;
    /** @default 900 s (15 minutes). */
    authWindowSeconds: number;
  }>;
  redis: Readonly<{
    /** null → in-process stores (rate limits, and pub/sub). */
    url: string | null;
    /** @default "social:": prefix of every key and channel. */
    prefix: string;
  }>;
  /** Caching (issue 15): the shared response cache, and what GET answers tell caches in front. */
  cache: Readonly<{
    /** @default true: RESPONSE_CACHE=false turns the response cache off. */
    responses: boolean;
    /** @default 5000 ms: RESPONSE_CACHE_TTL_MS, the longest a cached answer is served. */
    ttlMs: number;
    /** null (the default) → anonymous GET answers are `no-cache`; N → `public, max-age=N` (CACHE_PUBLIC_MAX_AGE_SECONDS). */
    publicMaxAgeSeconds: number | null;
  }>;
  /** Operations (issue 16): metrics, request logs and traces. */
  telemetry: Readonly<{
    /** @default true: METRICS=false serves no /metrics and skips the per-operation bookkeeping. */
    metrics: boolean;
    /** @default 1000 ms: SLOW_OPERATION_MS, over which an operation is logged (warn) with its normalized document. */
    slowOperationMs: number;
    /**
     * OTLP/HTTP traces: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, else OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces;
     * null (neither set, or OTEL_SDK_DISABLED=true) → no tracing at all.
     */
    tracesUrl: string | null;
    /** @default "social-graphql": OTEL_SERVICE_NAME. */
    serviceName: string;
    /** @default 1: the share of traces started here that are kept (OTEL_TRACES_SAMPLER_ARG with a *traceidratio sampler). */
    sampleRatio: number;
    /** @default true: an incoming traceparent's sampled flag decides (the parentbased_* samplers). */
    parentBased: boolean;
  }>;
  /** TRUST_PROXY: addresses or CIDR ranges of the proxies in front; [] → X-Forwarded-For is ignored. */
  trustedProxies: readonly string[];
  persistedOperations: Readonly<{
    /** @default "apq": automatic persisted queries beside any document; "only": the manifest's operations alone; "off". */
    mode: 'apq' | 'only' | 'off';
    /** The manifest (JSON: sha256 hex → document), required with "only". */
    manifestPath: string | null;
  }>;
  /** Subscriptions (issue 7): the WebSocket transport and the per-subscriber event queue. */
  realtime: Readonly<{
    /** @default 3000 ms: a socket that sends no connection_init by then is closed with 4408. */
    connectionInitTimeoutMs: number;
    /** @default 12000 ms: ping interval; a socket that has not answered by the next one is dropped. 0 → off. */
    keepAliveMs: number;
    /** @default 50 subscriptions at once per WebSocket connection. */
    maxSubscriptionsPerConnection: number;
    /** @default 100 open WebSocket connections per client address (the address as TRUST_PROXY resolves it). */
    maxConnectionsPerAddress: number;
    /** @default 100 open SSE streams (Accept: text/event-stream) per client address, counted apart from WebSockets. */
    sseMaxStreamsPerAddress: number;
    /** @default 100 events queued per subscriber; one more and its connection is closed (see README). */
    maxQueuedEvents: number;
  }>;
  /**
   * @default true. Bench-only (issue 5): false makes every DataLoader load one key per
   * statement, the "naive" server the bench compares batching against. Never turn it off in production.
   */
  loaderBatching: boolean;
  /**
   * @default 1 process. More: Node's cluster forks that many workers on one port (src/cluster.ts);
   * each has its own pool of db.poolSize connections. Needs DATABASE_URL.
   */
  workers: number;
  dataDir: string;
  logLevel: string;
}>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

/** Reads variables and collects every problem, so that one start reports them all at once. */
class EnvReader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  /** The trimmed value; null when unset or blank. */
  text(name: string): string | null {
    return this.env[name]?.trim() || null;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.env[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      return this.reject(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`, fallback);
    }
    return value;
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.env[name]?.trim().toLowerCase();
    if (raw === undefined || raw === '') return fallback;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    return this.reject(`${name} must be true or false (got "${this.env[name]}")`, fallback);
  }

  oneOf<T extends string>(name: string, fallback: T, values: readonly T[]): T {
    const raw = this.env[name]?.trim().toLowerCase();
    if (raw === undefined || raw === '') return fallback;
    if ((values as readonly string[]).includes(raw)) return raw as T;
    return this.reject(`${name} must be one of ${values.join(', ')} (got "${this.env[name]}")`, fallback);
  }

  /** A URL that must start with one of `schemes` (a pattern, and the words that name it). */
  url(name: string, schemes: RegExp, schemesText: string): string | null {
    const url = this.text(name);
    if (url && !schemes.test(url)) this.problems.push(`${name} must start with ${schemesText}`);
    return url;
  }

  /** A comma-separated list, blanks dropped. */
  list(name: string): string[] {
    return (this.env[name] ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
  }

  check(isValid: boolean, problem: string): void {
    if (!isValid) this.problems.push(problem);
  }

  private reject<T>(problem: string, fallback: T): T {
    this.problems.push(problem);
    return fallback;
  }
}

export function loadConfig(env: Env = process.env): Config {
  const read = new EnvReader(env);
  const isProduction = env.NODE_ENV === 'production';
  // Read in this order so that problems are listed as they always were.
  const databaseUrl = read.url('DATABASE_URL', /^postgres(ql)?:\/\//, 'postgres:// or postgresql://');
  const logLevel = readLogLevel(read);
  const jwtSecret = readJwtSecret(read, isProduction);
  const redisUrl = read.url('REDIS_URL', /^rediss?:\/\//, 'redis:// or rediss://');
  const trustedProxies = readTrustedProxies(read);
  const persistedOperations = readPersistedOperations(read);
  const workers = readWorkers(read, databaseUrl, redisUrl);
  const config: Config = {
    isProduction,
    http: readHttp(read, isProduction),
    db: readDb(read, databaseUrl),
    auth: { jwtSecret, tokenTtlSeconds: read.int('JWT_TTL_SECONDS', 7 * 24 * 3600, 60, 365 * 24 * 3600) },
    idempotency: readIdempotency(read),
    limits: readLimits(read, isProduction),
    rateLimit: readRateLimit(read),
    redis: { url: redisUrl, prefix: env.REDIS_PREFIX ?? 'social:' },
    cache: readCache(read),
    telemetry: readTelemetry(read),
    trustedProxies,
    persistedOperations,
    realtime: readRealtime(read),
    loaderBatching: read.bool('LOADER_BATCHING', true),
    workers,
    dataDir: path.resolve(read.text('DATA_DIR') ?? './.data'),
    logLevel,
  };
  if (read.problems.length > 0) throw new ConfigError(`Invalid configuration:\n- ${read.problems.join('\n- ')}`);
  return deepFreeze(config);
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function readLogLevel(read: EnvReader): string {
  const logLevel = read.text('LOG_LEVEL') ?? 'info';
  read.check(LOG_LEVELS.includes(logLevel), `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}")`);
  return logLevel;
}

function readJwtSecret(read: EnvReader, isProduction: boolean): string | null {
  const jwtSecret = read.text('JWT_SECRET');
  if (jwtSecret === null) {
    read.check(
      !isProduction,
      'JWT_SECRET must be set in production (NODE_ENV=production): a random string of at least 32 characters, the same on every instance',
    );
  } else {
    read.check(jwtSecret.length >= 32, 'JWT_SECRET must be at least 32 characters long');
  }
  return jwtSecret;
}

function readCache(read: EnvReader): Config['cache'] {
  return {
    responses: read.bool('RESPONSE_CACHE', true),
    ttlMs: read.int('RESPONSE_CACHE_TTL_MS', 5000, 1, 3_600_000),
    publicMaxAgeSeconds:
      read.text('CACHE_PUBLIC_MAX_AGE_SECONDS') === null ? null : read.int('CACHE_PUBLIC_MAX_AGE_SECONDS', 0, 0, 31_536_000),
  };
}

/** The standard OTEL_* variables that say where traces go and how many; the exporter reads its own (headers, timeout). */
function readTelemetry(read: EnvReader): Config['telemetry'] {
  const tracesEndpoint = read.url('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', /^https?:\/\//, 'http:// or https://');
  const endpoint = read.url('OTEL_EXPORTER_OTLP_ENDPOINT', /^https?:\/\//, 'http:// or https://');
  const disabled = read.bool('OTEL_SDK_DISABLED', false);
  const sampler = read.text('OTEL_TRACES_SAMPLER') ?? 'parentbased_always_on';
  read.check(SAMPLERS.includes(sampler), `OTEL_TRACES_SAMPLER must be one of ${SAMPLERS.join(', ')} (got "${sampler}")`);
  const ratio = sampler.endsWith('traceidratio') ? readRatio(read) : sampler.endsWith('always_off') ? 0 : 1;
  return {
    metrics: read.bool('METRICS', true),
    slowOperationMs: read.int('SLOW_OPERATION_MS', 1000, 0, 3_600_000),
    tracesUrl: disabled ? null : (tracesEndpoint ?? (endpoint ? `${endpoint.replace(/\/+$/, '')}/v1/traces` : null)),
    serviceName: read.text('OTEL_SERVICE_NAME') ?? 'social-graphql',
    sampleRatio: ratio,
    parentBased: sampler.startsWith('parentbased_'),
  };
}

const SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'];

function readRatio(read: EnvReader): number {
  const text = read.text('OTEL_TRACES_SAMPLER_ARG') ?? '1';
  const ratio = Number(text);
  read.check(Number.isFinite(ratio) && ratio >= 0 && ratio <= 1, `OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1 (got "${text}")`);
  return Number.isFinite(ratio) ? Math.min(1, Math.max(0, ratio)) : 1;
}

function readTrustedProxies(read: EnvReader): string[] {
  const trustedProxies = read.list('TRUST_PROXY');
  for (const entry of trustedProxies) {
    read.check(isAddressOrRange(entry), `TRUST_PROXY must list IP addresses or CIDR ranges, comma-separated (got "${entry}")`);
  }
  return trustedProxies;
}

function readPersistedOperations(read: EnvReader): Config['persistedOperations'] {
  const mode = read.oneOf('PERSISTED_OPERATIONS', 'apq', ['apq', 'only', 'off'] as const);
  const manifest = read.text('PERSISTED_OPERATIONS_MANIFEST');
  const manifestPath = manifest === null ? null : path.resolve(manifest);
  read.check(
    mode !== 'only' || manifestPath !== null,
    'PERSISTED_OPERATIONS=only needs PERSISTED_OPERATIONS_MANIFEST: the manifest built by npm run persisted:build',
  );
  return { mode, manifestPath };
}

function readWorkers(read: EnvReader, databaseUrl: string | null, redisUrl: string | null): number {
  const workers = read.int('WORKERS', 1, 1, 256);
  if (workers === 1) return workers;
  read.check(!!databaseUrl, 'WORKERS > 1 needs DATABASE_URL: the embedded database belongs to one process');
  read.check(
    !!redisUrl,
    'WORKERS > 1 needs REDIS_URL: each worker is a process of its own, and only through Redis do subscription events and rate-limit budgets reach the other workers',
  );
  return workers;
}

function readHttp(read: EnvReader, isProduction: boolean): Config['http'] {
  const headersTimeoutMs = read.int('HTTP_HEADERS_TIMEOUT_MS', 10_000, 100, 600_000);
  const requestTimeoutMs = read.int('HTTP_REQUEST_TIMEOUT_MS', 30_000, 100, 3_600_000);
  // Node refuses a headers timeout longer than the request timeout (the headers are part of the request).
  read.check(
    headersTimeoutMs <= requestTimeoutMs,
    `HTTP_HEADERS_TIMEOUT_MS (${headersTimeoutMs}) must not exceed HTTP_REQUEST_TIMEOUT_MS (${requestTimeoutMs})`,
  );
  return {
    port: read.int('PORT', 4000, 0, 65535),
    metricsPort: read.text('METRICS_PORT') === null ? null : read.int('METRICS_PORT', 0, 0, 65535),
    host: read.text('HOST') ?? '127.0.0.1',
    corsOrigins: parseOrigins(read.list('CORS_ORIGINS'), isProduction),
    shutdownTimeoutMs: read.int('SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: read.int('HTTP_KEEP_ALIVE_TIMEOUT_MS', 5000, 0, 3_600_000),
  };
}

function readDb(read: EnvReader, url: string | null): Config['db'] {
  return {
    url,
    poolSize: read.int('DATABASE_POOL_SIZE', 10, 1, 1000),
    statementTimeoutMs: read.int('DATABASE_STATEMENT_TIMEOUT_MS', 5000, 1, 3_600_000),
    connectTimeoutMs: read.int('DATABASE_CONNECT_TIMEOUT_MS', 3000, 1, 600_000),
    migrateOnStart: read.bool('MIGRATE_ON_START', true),
  };
}

function readIdempotency(read: EnvReader): Config['idempotency'] {
  return {
    required: read.bool('REQUIRE_IDEMPOTENCY_KEY', false),
    leaseSeconds: read.int('IDEMPOTENCY_LEASE_SECONDS', 60, 1, 3600),
    ttlSeconds: read.int('IDEMPOTENCY_TTL_SECONDS', 24 * 3600, 60, 30 * 24 * 3600),
  };
}

function readLimits(read: EnvReader, isProduction: boolean): Config['limits'] {
  return {
    maxDepth: read.int('MAX_DEPTH', 10, 1, 1000),
    maxCost: read.int('MAX_COST', 1000, 1, 100_000_000),
    maxAliases: read.int('MAX_ALIASES', 30, 0, 100_000),
    maxDirectives: read.int('MAX_DIRECTIVES', 50, 0, 100_000),
    maxTokens: read.int('MAX_TOKENS', 2000, 10, 1_000_000),
    maxBodyBytes: read.int('MAX_BODY_BYTES', 1024 * 1024, 1024, 100 * 1024 * 1024),
    maxIntrospectionDepth: read.int('MAX_INTROSPECTION_DEPTH', 18, 1, 1000),
    introspection: read.bool('INTROSPECTION', true),
    fieldSuggestions: !isProduction,
  };
}

function readRateLimit(read: EnvReader): Config['rateLimit'] {
  return {
    points: read.int('RATE_LIMIT_POINTS', 10_000, 1, 1_000_000_000),
    windowSeconds: read.int('RATE_LIMIT_WINDOW_SECONDS', 60, 1, 24 * 3600),
    authFailuresPerEmail: read.int('AUTH_RATE_LIMIT_EMAIL_FAILURES', 10, 1, 1_000_000),
    authAttemptsPerAddress: read.int('AUTH_RATE_LIMIT_ADDRESS_ATTEMPTS', 100, 1, 1_000_000),
    authWindowSeconds: read.int('AUTH_RATE_LIMIT_WINDOW_SECONDS', 900, 1, 24 * 3600),
  };
}

function readRealtime(read: EnvReader): Config['realtime'] {
  return {
    connectionInitTimeoutMs: read.int('WS_CONNECTION_INIT_TIMEOUT_MS', 3000, 100, 600_000),
    keepAliveMs: read.int('WS_KEEP_ALIVE_MS', 12_000, 0, 600_000),
    maxSubscriptionsPerConnection: read.int('WS_MAX_SUBSCRIPTIONS_PER_CONNECTION', 50, 1, 10_000),
    maxConnectionsPerAddress: read.int('WS_MAX_CONNECTIONS_PER_ADDRESS', 100, 1, 1_000_000),
    sseMaxStreamsPerAddress: read.int('SSE_MAX_STREAMS_PER_ADDRESS', 100, 1, 1_000_000),
    maxQueuedEvents: read.int('SUBSCRIPTION_MAX_QUEUED_EVENTS', 100, 1, 100_000),
  };
}

function parseOrigins(origins: readonly string[], isProduction: boolean): readonly string[] | null {
  if (origins.length > 0) return origins;
  return isProduction ? [] : null;
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (child && typeof child === 'object') deepFreeze(child);
  }
  return Object.freeze(value);
}

/** An IPv4/IPv6 address, or one with a /prefix (CIDR). */
function isAddressOrRange(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d{1,3}$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}

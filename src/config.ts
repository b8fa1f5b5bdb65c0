// Reads and checks every environment variable once. The rest of the code takes a Config,
// never process.env, so tests can run several differently configured servers in one process.
import path from 'node:path';

export type Config = Readonly<{
  isProduction: boolean;
  http: Readonly<{
    port: number;
    host: string;
    /** null → any origin (outside production); [] → none. */
    corsOrigins: readonly string[] | null;
    /** @default 10000 ms: how long SIGTERM waits for in-flight requests. */
    shutdownTimeoutMs: number;
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

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const isProduction = env.NODE_ENV === 'production';
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const logLevel = env.LOG_LEVEL?.trim() || 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "${logLevel}")`);
  }
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = env[name]?.trim().toLowerCase();
    if (raw === undefined || raw === '') return fallback;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    problems.push(`${name} must be true or false (got "${env[name]}")`);
    return fallback;
  };
  const jwtSecret = env.JWT_SECRET?.trim() || null;
  if (jwtSecret === null && isProduction) {
    problems.push('JWT_SECRET must be set in production (NODE_ENV=production): a random string of at least 32 characters, the same on every instance');
  } else if (jwtSecret !== null && jwtSecret.length < 32) {
    problems.push('JWT_SECRET must be at least 32 characters long');
  }
  const workers = int('WORKERS', 1, 1, 256);
  if (workers > 1 && !databaseUrl) {
    problems.push('WORKERS > 1 needs DATABASE_URL: the embedded database belongs to one process');
  }
  const config: Config = {
    isProduction,
    http: {
      port: int('PORT', 4000, 0, 65535),
      host: env.HOST?.trim() || '127.0.0.1',
      corsOrigins: parseOrigins(env.CORS_ORIGINS, isProduction),
      shutdownTimeoutMs: int('SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    },
    db: {
      url: databaseUrl,
      poolSize: int('DATABASE_POOL_SIZE', 10, 1, 1000),
      statementTimeoutMs: int('DATABASE_STATEMENT_TIMEOUT_MS', 5000, 1, 3_600_000),
      connectTimeoutMs: int('DATABASE_CONNECT_TIMEOUT_MS', 3000, 1, 600_000),
    },
    auth: {
      jwtSecret,
      tokenTtlSeconds: int('JWT_TTL_SECONDS', 7 * 24 * 3600, 60, 365 * 24 * 3600),
    },
    idempotency: {
      required: bool('REQUIRE_IDEMPOTENCY_KEY', false),
      leaseSeconds: int('IDEMPOTENCY_LEASE_SECONDS', 60, 1, 3600),
      ttlSeconds: int('IDEMPOTENCY_TTL_SECONDS', 24 * 3600, 60, 30 * 24 * 3600),
    },
    loaderBatching: bool('LOADER_BATCHING', true),
    workers,
    dataDir: path.resolve(env.DATA_DIR?.trim() || './.data'),
    logLevel,
  };
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n- ${problems.join('\n- ')}`);
  return deepFreeze(config);
}

function parseOrigins(raw: string | undefined, isProduction: boolean): readonly string[] | null {
  const origins = (raw ?? '').split(',').map((o) => o.trim()).filter(Boolean);
  if (origins.length > 0) return origins;
  return isProduction ? [] : null;
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (child && typeof child === 'object') deepFreeze(child);
  }
  return Object.freeze(value);
}

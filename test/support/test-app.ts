// startTestApp(): the real server on a free port with a fresh database, queried over HTTP as a
// client would. Every app started here is closed after the test file (afterAll).
import { afterAll } from 'vitest';
import { createApp, type AppOptions } from '../../src/app.js';
import { loadJwtSecret } from '../../src/auth/secret.js';
import { loadConfig, type Config } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { createLog, type Log } from '../../src/log.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export type GraphQLResponse<T = any> = {
  status: number;
  headers: Headers;
  body: {
    data?: T;
    errors?: { message: string; path?: (string | number)[]; extensions: Record<string, any> }[];
    extensions?: Record<string, any>;
  };
  data: T;
  errors: { message: string; path?: (string | number)[]; extensions: Record<string, any> }[] | undefined;
  /** SQL statements the server sent while answering. */
  statements: number;
};

export type TestApp = {
  url: URL;
  origin: string;
  /** GET /metrics: on the main port, or on METRICS_PORT's. */
  metricsUrl: URL;
  database: Database;
  query<T = any>(
    query: string,
    variables?: Record<string, unknown>,
    init?: { headers?: Record<string, string> },
  ): Promise<GraphQLResponse<T>>;
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** What the server logged (only with `captureLogs`), one parsed JSON line each. */
  logs: Record<string, any>[];
  close(): Promise<void>;
};

const openApps = new Set<TestApp>();
afterAll(async () => {
  await Promise.all([...openApps].map((app) => app.close()));
});

type StartOptions = { env?: Record<string, string>; app?: AppOptions; captureLogs?: boolean };

export async function startTestApp(options: StartOptions = {}): Promise<TestApp> {
  const testDatabase = await createTestDatabase();
  const { config, log, logs } = configure(testDatabase, options);
  const database = await openDatabase(config, log);
  await migrate(database);
  return serveTestApp(config, database, log, logs, options.app, async () => {
    await database.close();
    await testDatabase.drop();
  });
}

/** The config and log of a test app on `testDatabase`: what it logs lands in `logs` (with `captureLogs`). */
export function configure(testDatabase: TestDatabase, options: StartOptions = {}) {
  const config = loadConfig({ LOG_LEVEL: options.captureLogs ? 'info' : 'silent', PORT: '0', ...testDatabase.env, ...options.env });
  const logs: Record<string, any>[] = [];
  const log = createLog(config.logLevel, { write: (line: string) => void logs.push(JSON.parse(line)) });
  return { config, log, logs };
}

/** A server on `database` (which may serve other test apps too); `release` runs once it has stopped. */
export async function serveTestApp(
  config: Config,
  database: Database,
  log: Log,
  logs: Record<string, any>[],
  appOptions: AppOptions | undefined,
  release: () => Promise<void>,
): Promise<TestApp> {
  const server = createApp(config, database, log, await loadJwtSecret(config), appOptions);
  const url = await server.start(0);

  let closed = false;
  const app: TestApp = {
    url,
    origin: url.origin,
    metricsUrl: server.metricsUrl()!,
    database,
    logs,
    async query(query, variables, init) {
      const before = database.statementCount;
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...init?.headers },
        body: JSON.stringify({ query, variables }),
      });
      const body = await response.json();
      return {
        status: response.status,
        headers: response.headers,
        body,
        data: body.data,
        errors: body.errors,
        statements: database.statementCount - before,
      };
    },
    fetch: (path, init) => fetch(new URL(path, url), init),
    async close() {
      if (closed) return;
      closed = true;
      openApps.delete(app);
      await server.stop();
      await release();
    },
  };
  openApps.add(app);
  return app;
}

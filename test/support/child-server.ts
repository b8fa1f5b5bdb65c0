// The real server as a child process (dist/main.js, built by global-setup, as `npm start` runs it), for what only a
// process shows: startup, exit codes, signals, the data-directory lock. The environment is only
// what a test passes (plus PATH and the like): the runner's DATABASE_URL never leaks in.
// Every child still running when the file's tests are done is killed (afterAll).
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

export type Exit = { code: number | null; signal: NodeJS.Signals | null };

export type ChildServer = {
  process: ChildProcess;
  pid: number;
  /** stdout and stderr so far, interleaved as they arrived. */
  output(): string;
  /** The JSON log lines on stdout so far. */
  logs(): Record<string, any>[];
  /** Resolves once the process has exited. */
  exited: Promise<Exit>;
  /** Resolves with the first log line `isWanted` accepts; rejects if the process exits first. */
  waitForLog(isWanted: (line: Record<string, any>) => boolean, timeoutMs?: number): Promise<Record<string, any>>;
  /** Resolves with the "ready" log line (the one naming the url); rejects if the process exits first. */
  ready(timeoutMs?: number): Promise<URL>;
  /** Sends the signal and waits for the exit. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<Exit>;
};

const children = new Set<ChildServer>();
afterAll(async () => {
  await Promise.all(
    [...children].map((child) => {
      if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
      return child.exited;
    }),
  );
  children.clear();
});

/** Environment variables of the runner that would configure the child behind a test's back. */
const OWN_VARS =
  /^(DATABASE_|DATA_DIR$|PORT$|HOST$|LOG_LEVEL$|NODE_ENV$|JWT_SECRET$|REDIS_|CORS_|TRUST_PROXY$|WORKERS$|RATE_LIMIT_|AUTH_RATE_LIMIT_|MAX_|INTROSPECTION$|PERSISTED_|SHUTDOWN_|VITEST|NODE_OPTIONS$|OTEL_|METRICS|SLOW_OPERATION_MS$|MIGRATE_)/;

export function spawnServer(env: Record<string, string>): ChildServer {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !OWN_VARS.test(name)));
  const child = spawn(process.execPath, ['--enable-source-maps', 'dist/main.js'], {
    cwd: root,
    // PORT 0: the kernel picks a free port, and the ready line names it (no race for a port).
    env: { ...inherited, LOG_LEVEL: 'info', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let stdout = '';
  const waiters = new Set<() => void>();
  const changed = () => waiters.forEach((wake) => wake());
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
    stdout += chunk;
    changed();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
    changed();
  });
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  void exited.then(changed);

  const logs = () =>
    stdout.split('\n').flatMap((line) => {
      if (!line.startsWith('{')) return [];
      try {
        return [JSON.parse(line) as Record<string, any>];
      } catch {
        return [];
      }
    });
  const server: ChildServer = {
    process: child,
    pid: child.pid!,
    output: () => output,
    logs,
    exited,
    waitForLog: (isWanted, timeoutMs = 30_000) =>
      new Promise<Record<string, any>>((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`no such log line within ${timeoutMs} ms; output:\n${output}`)), timeoutMs);
        const finish = (error: Error | null, line?: Record<string, any>) => {
          clearTimeout(timer);
          waiters.delete(check);
          if (error) reject(error);
          else resolve(line!);
        };
        const check = () => {
          const line = logs().find(isWanted);
          if (line) finish(null, line);
          else if (child.exitCode !== null || child.signalCode !== null)
            finish(new Error(`server exited (${child.exitCode ?? child.signalCode}) before logging it; output:\n${output}`));
        };
        waiters.add(check);
        check();
      }),
    ready: async (timeoutMs = 30_000) => new URL((await server.waitForLog((line) => typeof line.url === 'string', timeoutMs)).url),
    stop: async (signal = 'SIGTERM', timeoutMs = 15_000) => {
      child.kill(signal);
      return withDeadline(exited, timeoutMs, () => `server did not exit within ${timeoutMs} ms of ${signal}; output:\n${output}`);
    },
  };
  children.add(server);
  return server;
}

/** Spawns the server and waits until it logs that it is ready. */
export async function startServer(env: Record<string, string>, timeoutMs?: number): Promise<ChildServer & { url: URL }> {
  const server = spawnServer(env);
  const url = await server.ready(timeoutMs);
  return Object.assign(server, { url });
}

/** A port nothing listens on right now (the kernel's pick for port 0, released again). */
export async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Resolves when a TCP connection to the port is refused; rejects if it is still accepted at the deadline. */
export async function waitUntilRefused(port: number, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const accepted = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (!accepted) return;
    if (Date.now() > deadline) throw new Error(`port ${port} still accepts connections after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function withDeadline<T>(promise: Promise<T>, timeoutMs: number, describe: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(describe())), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export type Answer = { status: number; headers: Headers; text: string; body: any };

/** POSTs a GraphQL query as a client would; the raw text is kept to check what leaked into it. */
export async function postQuery(url: URL, query: string, init: { headers?: Record<string, string> } = {}): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...init.headers },
    body: JSON.stringify({ query }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: JSON.parse(text) };
}

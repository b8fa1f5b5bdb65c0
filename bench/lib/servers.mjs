// Starts the servers under test, each one child process on a free loopback port, with the same
// pool size, and reads what only the process can tell: its statement count and peak RSS.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const ROOT_DIR = path.dirname(BENCH_DIR);
const COUNTER = path.join(BENCH_DIR, 'count-statements.mjs');

/** @default 16 connections per server process: the same for every server (issue 5). */
export const POOL_SIZE = 16;
/** Fixed, so that the raw server can verify the tokens our server signs. */
export const JWT_SECRET = 'bench-only-secret-never-use-this-anywhere-else';
/** Limits no bench request comes near, so that a rate limit never answers the load with 429. */
const GUARDS_OUT_OF_THE_WAY = { MAX_COST: '1000000', RATE_LIMIT_POINTS: '1000000000' };
/**
 * The rows that compare servers measure what each does per request: ours (and naive, and the
 * baseline, which runs as ours does) must not answer the same request again from the response
 * cache (issue 15), or its rows would measure a cache hit against raw's SQL. The `cached` rows
 * measure the cache.
 */
const CACHE_OFF = { RESPONSE_CACHE: 'false' };
/** @default redis://127.0.0.1:6379: the Redis the `cached` server keeps its answers in (BENCH_REDIS_URL). */
export const REDIS_URL = process.env.BENCH_REDIS_URL || 'redis://127.0.0.1:6379';
/** One per run: no answer of an earlier run (or another bench at the same time) is found. */
export const REDIS_PREFIX = `social-bench-${process.pid}-${Date.now().toString(36)}:`;
/** The anonymous operations the `cached` servers are measured on: the same request, repeated (issue 15). */
export const CACHED_OPERATIONS = ['deep-page', 'node'];
/** @default 30000 ms for a server to answer its first request. */
const START_TIMEOUT_MS = 30_000;

/**
 * What each server runs: `cwd` also decides which pg the statement counter patches (bench/'s for
 * raw, floor and postgraphile: postgraphile's pg is bench/'s own, deduplicated). `api` is the schema its
 * requests are written against (lib/operations.mjs); `hasRest`: it gets the REST rows
 * (lib/rest-operations.mjs). naive serves REST too, but the REST rows measure the REST layer,
 * which batching does not touch. `operations`: only these (all when absent).
 */
const SERVERS = {
  // As `npm start` runs it: the bundle run.mjs builds. The guards stay on, their limits out of
  // the way of the load (every request is the same small query, many times a second).
  ours: {
    cwd: ROOT_DIR,
    args: ['--enable-source-maps', 'dist/main.js'],
    env: { ...GUARDS_OUT_OF_THE_WAY, ...CACHE_OFF },
    api: 'ours',
    hasRest: true,
  },
  naive: {
    cwd: ROOT_DIR,
    args: ['--enable-source-maps', 'dist/main.js'],
    env: { ...GUARDS_OUT_OF_THE_WAY, ...CACHE_OFF, LOADER_BATCHING: 'false' },
    api: 'ours',
  },
  // Ours with no telemetry at all (issue 16): no metrics, and (as every bench server runs at
  // LOG_LEVEL=warn) no request log lines, no per-request record. Its pair with ours is what the
  // metrics cost.
  'ours-no-metrics': {
    cwd: ROOT_DIR,
    args: ['--enable-source-maps', 'dist/main.js'],
    env: { ...GUARDS_OUT_OF_THE_WAY, ...CACHE_OFF, METRICS: 'false' },
    api: 'ours',
    hasRest: true,
  },
  raw: { cwd: BENCH_DIR, args: ['raw-server.mjs'], env: {}, api: 'ours' },
  floor: { cwd: BENCH_DIR, args: ['floor-server.mjs'], env: {}, api: 'ours' },
  // GRAPHILE_ENV=production: with NODE_ENV=development alone Grafast runs its development checks,
  // which it warns are "strongly discouraged in production" and make planning much dearer.
  postgraphile: { cwd: BENCH_DIR, args: ['postgraphile-server.mjs'], env: { GRAPHILE_ENV: 'production' }, api: 'postgraphile' },
  // Ours with the response cache on, its default TTL, in Redis as several instances would share
  // it (the rate limits go there too, as they would); `cached-memory` keeps it in the process.
  cached: {
    cwd: ROOT_DIR,
    args: ['--enable-source-maps', 'dist/main.js'],
    env: { ...GUARDS_OUT_OF_THE_WAY, REDIS_URL, REDIS_PREFIX },
    api: 'ours',
    operations: CACHED_OPERATIONS,
  },
  'cached-memory': {
    cwd: ROOT_DIR,
    args: ['--enable-source-maps', 'dist/main.js'],
    env: { ...GUARDS_OUT_OF_THE_WAY, REDIS_URL: '' },
    api: 'ours',
    operations: CACHED_OPERATIONS,
  },
};
export const SERVER_NAMES = Object.keys(SERVERS);
/** Run only when --only names them: an A/B of one setting, not a row of every run. */
const ON_REQUEST = new Set(['ours-no-metrics']);
/** How a server runs, to start it under another name or with a change (bench/mixed.mjs). */
export const serverSpec = (name) => SERVERS[name];

/**
 * The servers a run starts, in order: all of SERVER_NAMES but those ON_REQUEST, the baseline (when there is one) right
 * after ours, its pair in an A/B; or those of `only` among them, which must include ours (it
 * signs the feed's viewer in, and every ratio is to it). A string says what is wrong instead.
 */
export function selectServers({ hasBaseline, only }) {
  const all = [SERVER_NAMES[0], ...(hasBaseline ? ['baseline'] : []), ...SERVER_NAMES.slice(1)];
  if (!only) return all.filter((name) => !ON_REQUEST.has(name));
  const unknown = only.filter((name) => !all.includes(name));
  if (unknown.length > 0) return `--only: no server ${unknown.join(', ')} in this run (${all.join(', ')})`;
  if (!only.includes('ours')) return '--only: ours must run: it signs the viewer in, and every ratio is to it';
  return all.filter((name) => only.includes(name));
}

/** Ours as built from another revision in `rootDir` (lib/baseline.mjs), run exactly as ours is. */
export const baselineServer = (rootDir) => ({ ...SERVERS.ours, cwd: rootDir });

/** `how`: what to run and where, SERVERS[name] unless given (the baseline's); `onOutput(chunk)`: all it prints (the soak's). */
export async function startServer(name, databaseUrl, how = SERVERS[name]) {
  const { cwd, args, env, api, hasRest = false, operations = null, onOutput = null } = how;
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', COUNTER, ...args], {
    cwd,
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: String(POOL_SIZE),
      JWT_SECRET,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  // Kept for the error message of a server that fails; warnings are echoed as they come.
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk).slice(-4000);
    onOutput?.(chunk);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const url = `http://127.0.0.1:${port}/graphql`;
  const server = {
    name,
    api,
    hasRest,
    /** The operations it is measured on; null: every one. */
    operations,
    url,
    pid: child.pid,
    statementCount: () => ask(child),
    /** Peak RSS since start or the last resetPeakRss, in MiB (VmHWM). */
    peakRssMb: () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024,
    resetPeakRss: () => resetPeakRss(child.pid),
    stop: () => stop(child),
    /** At once, for a process about to exit (it cannot wait for stop()); nothing if it has exited. */
    kill: () => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'),
    /** For an error message: whether it still runs, and the end of what it printed. */
    describe: () =>
      `${name} (pid ${child.pid}) ${child.exitCode === null ? `is running` : `exited with ${child.exitCode ?? child.signalCode}`}; its last output:\n${output || '(none)'}`,
  };
  await waitUntilAnswering(url, child, () => output);
  return server;
}

/** A loopback port nothing listens on right now (the kernel's pick, released again). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function waitUntilAnswering(url, child, output) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output()}`);
    try {
      await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{__typename}"}' });
      return; // any HTTP answer: it listens
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  child.kill();
  throw new Error(`server did not answer within ${START_TIMEOUT_MS} ms:\n${output()}`);
}

function ask(child) {
  return new Promise((resolve) => {
    child.once('message', (message) => resolve(message.statementCount));
    child.send('statement-count');
  });
}

// Writing 5 to clear_refs resets VmHWM (Linux ≥ 4.0), so each operation gets its own peak.
// Where that is refused the peak is the process's lifetime peak: still an upper bound.
function resetPeakRss(pid) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    /* the lifetime peak stands */
  }
}

function stop(child) {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

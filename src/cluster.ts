// WORKERS > 1: this process becomes the primary of Node's cluster. It serves nothing itself; it
// forks the workers (each runs main.ts's server path and listens on the shared port), replaces a
// worker that dies after it became ready, and on SIGTERM/SIGINT lets every worker drain and exits
// 0 once all have. A worker that fails before it is ready (a bad DATABASE_URL, a port in use)
// stops the whole service with exit 1: restarting it would fail the same way.
import cluster, { type Worker } from 'node:cluster';
import type { Config } from './config.js';
import type { Log } from './log.js';
import { serveClusterMetrics } from './metrics/cluster-metrics.js';

/** The message a worker sends the primary once it listens. */
export const WORKER_READY = 'social-graphql:ready';

export function runPrimary(config: Config, log: Log): void {
  const ready = new Set<Worker>();
  // A scrape of any worker answers for all of them (src/metrics/cluster-metrics.ts).
  if (config.telemetry.metrics) serveClusterMetrics(log);
  const state: StopState = { stopping: false, exitCode: 0 };
  const fork = () => forkWorker(ready, config.workers, log);

  cluster.on('exit', (worker, code, signal) => {
    const wasReady = ready.delete(worker);
    if (state.stopping) return exitOnceAllStopped(state.exitCode, log);
    if (!wasReady) {
      log.fatal({ pid: worker.process.pid, code, signal }, 'a worker failed to start: stopping');
      stopWorkers(state, 'SIGTERM', 1);
      return;
    }
    log.error({ pid: worker.process.pid, code, signal }, 'a worker died: starting another');
    fork();
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      log.info({ signal }, 'stopping: every worker finishes its in-flight requests');
      stopWorkers(state, 'SIGTERM');
    });
  }

  for (let i = 0; i < config.workers; i++) fork();
}

type StopState = { stopping: boolean; exitCode: number };

/** A new worker; once all `workerCount` have said they listen, that is logged. */
function forkWorker(ready: Set<Worker>, workerCount: number, log: Log): void {
  const worker = cluster.fork();
  worker.on('message', (message: unknown) => {
    if (message !== WORKER_READY) return;
    ready.add(worker);
    if (ready.size === workerCount) log.info({ workers: workerCount }, `${workerCount} workers serving`);
  });
}

/** Sends `signal` to every worker (once); the primary exits with `code` when the last has gone. */
function stopWorkers(state: StopState, signal: NodeJS.Signals, code = 0): void {
  if (state.stopping) return;
  state.stopping = true;
  state.exitCode = code;
  const workers = Object.values(cluster.workers ?? {});
  if (workers.length === 0) process.exit(state.exitCode);
  for (const worker of workers) worker?.process.kill(signal);
}

function exitOnceAllStopped(exitCode: number, log: Log): void {
  if (Object.keys(cluster.workers ?? {}).length > 0) return;
  log.info('stopped');
  process.exit(exitCode);
}

// WORKERS > 1: this process becomes the primary of Node's cluster. It serves nothing itself; it
// forks the workers (each runs main.ts's server path and listens on the shared port), replaces a
// worker that dies after it became ready, and on SIGTERM/SIGINT lets every worker drain and exits
// 0 once all have. A worker that fails before it is ready (a bad DATABASE_URL, a port in use)
// stops the whole service with exit 1: restarting it would fail the same way.
import cluster, { type Worker } from 'node:cluster';
import type { Config } from './config.js';
import type { Log } from './log.js';

/** The message a worker sends the primary once it listens. */
export const WORKER_READY = 'social-graphql:ready';

export function runPrimary(config: Config, log: Log): void {
  const ready = new Set<Worker>();
  let stopping = false;
  let exitCode = 0;

  const fork = () => {
    const worker = cluster.fork();
    worker.on('message', (message: unknown) => {
      if (message !== WORKER_READY) return;
      ready.add(worker);
      if (ready.size === config.workers) log.info({ workers: config.workers }, `${config.workers} workers serving`);
    });
  };

  cluster.on('exit', (worker, code, signal) => {
    const wasReady = ready.delete(worker);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        log.info('stopped');
        process.exit(exitCode);
      }
      return;
    }
    if (!wasReady) {
      log.fatal({ pid: worker.process.pid, code, signal }, 'a worker failed to start: stopping');
      stopAll('SIGTERM', 1);
      return;
    }
    log.error({ pid: worker.process.pid, code, signal }, 'a worker died: starting another');
    fork();
  });

  const stopAll = (signal: NodeJS.Signals, code = 0) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    const workers = Object.values(cluster.workers ?? {});
    if (workers.length === 0) process.exit(exitCode);
    for (const worker of workers) worker?.process.kill(signal);
  };
  process.on('SIGTERM', () => {
    log.info({ signal: 'SIGTERM' }, 'stopping: every worker finishes its in-flight requests');
    stopAll('SIGTERM');
  });
  process.on('SIGINT', () => {
    log.info({ signal: 'SIGINT' }, 'stopping: every worker finishes its in-flight requests');
    stopAll('SIGTERM');
  });

  for (let i = 0; i < config.workers; i++) fork();
}

// WORKERS > 1: each worker process has its own registry, and a scrape reaches whichever worker
// the shared port hands it to; alone, its counters would jump from one worker's to another's.
// So a worker answers GET /metrics with the whole service's metrics: it asks the primary, which
// gathers every worker's and adds them up (prom-client's AggregatorRegistry).
import cluster from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';
import type { Log } from '../log.js';

const REQUEST = 'social-graphql:metrics-request';
const RESPONSE = 'social-graphql:metrics-response';
/** @default 5000 ms: a scrape that waits longer fails (500), as a slow worker would make it. */
const SCRAPE_TIMEOUT_MS = 5000;

type Request = { type: typeof REQUEST; id: number };
type Response = { type: typeof RESPONSE; id: number; text?: string; error?: string };

/** In the primary: answers each worker's request with every worker's metrics, added up. */
export function serveClusterMetrics(log: Log): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: Partial<Request>) => {
    if (message.type !== REQUEST) return;
    const reply = (answer: Omit<Response, 'type' | 'id'>) => worker.send({ type: RESPONSE, id: message.id, ...answer });
    aggregator.clusterMetrics().then(
      (text) => reply({ text }),
      (error: unknown) => {
        log.warn({ err: error }, 'could not gather the workers’ metrics');
        reply({ error: String(error) });
      },
    );
  });
}

/** In a worker: reports `registry` to the primary, and returns how to get the whole service's metrics. */
export function clusterScrape(registry: Registry): () => Promise<string> {
  new AggregatorRegistry(); // adds the listener that answers the primary's requests
  AggregatorRegistry.setRegistries([registry]);
  const pending = new Map<number, (answer: Response) => void>();
  let lastId = 0;
  process.on('message', (message: Partial<Response>) => {
    if (message.type !== RESPONSE || message.id === undefined) return;
    pending.get(message.id)?.(message as Response);
    pending.delete(message.id);
  });
  return () =>
    new Promise((resolve, reject) => {
      const id = ++lastId;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`the primary did not answer within ${SCRAPE_TIMEOUT_MS} ms`));
      }, SCRAPE_TIMEOUT_MS);
      pending.set(id, ({ text, error }) => {
        clearTimeout(timer);
        if (text === undefined) reject(new Error(error ?? 'no metrics'));
        else resolve(text);
      });
      process.send?.({ type: REQUEST, id } satisfies Request);
    });
}

export const isClusterWorker = () => cluster.isWorker;

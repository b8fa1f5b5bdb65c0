// The soak's record: every few seconds, GET /metrics as Prometheus would scrape it, kept twice:
// the figures the soak reports on (memory, event-loop lag, sockets, subscribers), and the raw
// samples of every family the dashboard reads, to draw it afterwards (lib/dashboard-render.mjs).
// Next to each scrape, what the clients had counted by then (lib/soak-tally.mjs).
import { parseMetrics } from './prometheus-text.mjs';
import { recordIncident, snapshot } from './soak-tally.mjs';

/** Beside the dashboard's: what says whether something piles up. */
const EXTRA_FAMILIES = [
  'process_open_fds',
  'nodejs_heap_size_total_bytes',
  'nodejs_active_handles_total',
  'nodejs_eventloop_lag_max_seconds',
];

/**
 * Scrapes at startedAt + k × intervalMs until stop(); `clients()` → what the load's clients count
 * (tally, streams). The first scrape is at once: the server before any load.
 */
export function startScraper({ metricsUrl, intervalMs, families, startedAt, tally, clients }) {
  const scrapes = [];
  const wanted = [...families, ...EXTRA_FAMILIES];
  let isStopped = false;
  let wake = () => undefined; // ends the wait for the next scrape early

  async function scrapeOnce() {
    const at = performance.now();
    try {
      const response = await fetch(metricsUrl, { signal: AbortSignal.timeout(intervalMs) });
      if (response.status !== 200) throw new Error(`status ${response.status}`);
      const samples = parseMetrics(await response.text(), wanted);
      scrapes.push({
        t: Math.round((at - startedAt) / 100) / 10,
        scrapeMs: Math.round(performance.now() - at),
        server: figuresOf(samples),
        client: clients(),
        samples,
      });
    } catch (error) {
      recordIncident(tally, `metrics scrape failed: ${error.message}`);
    }
  }

  const done = (async () => {
    for (let k = 0; !isStopped; k++) {
      await scrapeOnce();
      const delay = startedAt + (k + 1) * intervalMs - performance.now();
      if (delay > 0 && !isStopped) {
        await new Promise((resolve) => {
          const timer = setTimeout(resolve, delay);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  })();

  return {
    scrapes,
    /** Stops after one last scrape, so that the end of the run is in the record. */
    async stop() {
      isStopped = true;
      wake();
      await done;
      await scrapeOnce();
    },
  };
}

/** The client side of a scrape: the tally's counters and the streams' state. */
export const clientFigures = (tally, streams) => ({ ...snapshot(tally), streams: streams?.stats() ?? null });

function figuresOf(samples) {
  const one = (name) => samples[name]?.[0]?.[1] ?? null;
  const byLabel = (name, label) => Object.fromEntries((samples[name] ?? []).map(([labels, value]) => [labels[label], value]));
  const operationNames = new Set((samples.graphql_operation_duration_seconds_count ?? []).map(([labels]) => labels.operation_name));
  return {
    rssBytes: one('process_resident_memory_bytes'),
    heapUsedBytes: one('nodejs_heap_size_used_bytes'),
    heapTotalBytes: one('nodejs_heap_size_total_bytes'),
    lagP50Seconds: one('nodejs_eventloop_lag_p50_seconds'),
    lagP99Seconds: one('nodejs_eventloop_lag_p99_seconds'),
    lagMaxSeconds: one('nodejs_eventloop_lag_max_seconds'),
    cpuSeconds: one('process_cpu_seconds_total'),
    openFds: one('process_open_fds'),
    activeHandles: one('nodejs_active_handles_total'),
    webSockets: one('websocket_connections_open'),
    subscribers: byLabel('subscriptions_active', 'field'),
    pool: byLabel('db_pool_connections', 'state'),
    /** Distinct operation_name labels: bounded by the server (src/metrics/operation-names.ts). */
    operationNameCount: operationNames.size,
  };
}

// The operations dashboard, panel by panel: its rows, titles, units, layout (Grafana's 24-column
// grid) and queries, on the metrics of src/metrics/metrics.ts. The one definition behind both
// ops/grafana-dashboard.json (lib/grafana-dashboard.mjs) and the picture of a soak run rendered
// from the same queries (lib/dashboard-render.mjs).
import { familyOf } from './prometheus-text.mjs';
import { divide, histogramQuantile, rate, selector, sumBy } from './promql-series.mjs';

const requestRate = () => rate(selector('graphql_operation_duration_seconds_count'));
const bucketRate = (histogram) => rate(selector(`${histogram}_bucket`));
const quantileBy = (q, histogram, labels) => histogramQuantile(q, sumBy(['le', ...labels], bucketRate(histogram)));
/** Mean per observation: rate of the sum over rate of the count. */
const meanBy = (histogram, labels) =>
  divide(sumBy(labels, rate(selector(`${histogram}_sum`))), sumBy(labels, rate(selector(`${histogram}_count`))));

const target = (expression, legend) => ({ expression, legend });

/**
 * Units are Grafana's (reqps, cps: counts/s, s, bytes, percentunit, short). `width` in grid columns (of 24);
 * rows of panels are laid out left to right, 8 units high.
 */
export const DASHBOARD_ROWS = [
  {
    title: 'Traffic',
    panels: [
      {
        title: 'Requests/s by operation',
        unit: 'reqps',
        description: 'Queries and mutations by operation name (REST routes by route); subscriptions are not requests.',
        targets: [target(sumBy(['operation_name'], requestRate()), '{{operation_name}}')],
      },
      {
        title: 'Errors/s by code',
        unit: 'cps',
        description: 'Errors in answers over HTTP, by extensions.code: refusals (QUERY_TOO_DEEP, RATE_LIMITED, …) as well as failures.',
        targets: [target(sumBy(['code'], rate(selector('graphql_errors_total'))), '{{code}}')],
      },
      {
        title: 'Latency p50 by operation',
        unit: 's',
        targets: [target(quantileBy(0.5, 'graphql_operation_duration_seconds', ['operation_name']), '{{operation_name}}')],
      },
      {
        title: 'Latency p99 by operation',
        unit: 's',
        targets: [target(quantileBy(0.99, 'graphql_operation_duration_seconds', ['operation_name']), '{{operation_name}}')],
      },
    ],
  },
  {
    title: 'Database',
    panels: [
      {
        title: 'SQL statements per request: average by operation',
        unit: 'short',
        description: 'A rise at the same traffic is an N+1 that batching missed; 0 is a cache hit or a refusal.',
        targets: [target(meanBy('graphql_operation_sql_statements', ['operation_name']), '{{operation_name}}')],
      },
      {
        title: 'SQL statements per request: p50 and p99',
        unit: 'short',
        targets: [
          target(quantileBy(0.5, 'graphql_operation_sql_statements', []), 'p50'),
          target(quantileBy(0.99, 'graphql_operation_sql_statements', []), 'p99'),
        ],
      },
      {
        title: 'DataLoader batch size: average keys by loader',
        unit: 'short',
        description: 'Keys answered by one statement; near 1 everywhere means batching is not happening.',
        targets: [target(meanBy('dataloader_batch_size', ['loader']), '{{loader}}')],
      },
      {
        title: 'Database pool connections',
        unit: 'short',
        description: 'waiting > 0 for long: the pool (DATABASE_POOL_SIZE) or the database is the bottleneck.',
        targets: [target(sumBy(['state'], selector('db_pool_connections')), '{{state}}')],
      },
    ],
  },
  {
    title: 'Realtime',
    panels: [
      {
        title: 'Open WebSockets and subscribers by field',
        unit: 'short',
        description: 'Subscribers count WebSocket and SSE alike. Rising while clients come and go at a steady rate: a leak.',
        targets: [
          target(sumBy([], selector('websocket_connections_open')), 'WebSockets'),
          target(sumBy(['field'], selector('subscriptions_active')), 'subscribers: {{field}}'),
        ],
      },
      {
        title: 'Subscription events/s: published and delivered',
        unit: 'cps',
        targets: [
          target(sumBy(['field'], rate(selector('subscription_events_published_total'))), 'published: {{field}}'),
          target(sumBy(['field'], rate(selector('subscription_events_delivered_total'))), 'delivered: {{field}}'),
        ],
      },
    ],
  },
  {
    title: 'Protection and cache',
    panels: [
      {
        title: 'Rate-limit refusals/s by kind',
        unit: 'reqps',
        targets: [target(sumBy(['kind'], rate(selector('rate_limit_refusals_total'))), '{{kind}}')],
      },
      {
        title: 'Response cache hit ratio',
        unit: 'percentunit',
        description: 'Hits over all lookups (errors: the cache could not be reached).',
        targets: [
          target(
            divide(
              sumBy([], rate(selector('response_cache_lookups_total', { outcome: 'hit' }))),
              sumBy([], rate(selector('response_cache_lookups_total'))),
            ),
            'hit ratio',
          ),
        ],
      },
    ],
  },
  {
    title: 'Process',
    panels: [
      {
        title: 'Memory: RSS and heap used',
        unit: 'bytes',
        targets: [
          target(selector('process_resident_memory_bytes'), 'RSS {{instance}}'),
          target(selector('nodejs_heap_size_used_bytes'), 'heap used {{instance}}'),
        ],
      },
      {
        title: 'Event-loop lag p50 and p99',
        unit: 's',
        description:
          'prom-client samples the lag with a 10 ms timer and its percentiles include that interval: an idle process reads about 10 ms.',
        targets: [
          target(selector('nodejs_eventloop_lag_p50_seconds'), 'p50 {{instance}}'),
          target(selector('nodejs_eventloop_lag_p99_seconds'), 'p99 {{instance}}'),
        ],
      },
      {
        title: 'CPU (cores busy)',
        unit: 'short',
        targets: [target(rate(selector('process_cpu_seconds_total')), '{{instance}}')],
      },
    ],
  },
];

/** @default 8 grid units (of 30 px in Grafana) per panel; a row header is 1. */
export const PANEL_HEIGHT = 8;
export const GRID_COLUMNS = 24;

/**
 * Every row header and panel with its gridPos: each row's panels share its width equally, side
 * by side, two to a line at most (three when there are three).
 */
export function layOut(rows = DASHBOARD_ROWS) {
  const placed = [];
  let y = 0;
  for (const row of rows) {
    placed.push({ kind: 'row', title: row.title, gridPos: { h: 1, w: GRID_COLUMNS, x: 0, y } });
    y += 1;
    const perLine = row.panels.length === 3 ? 3 : 2;
    const w = GRID_COLUMNS / perLine;
    row.panels.forEach((panel, index) => {
      const x = (index % perLine) * w;
      placed.push({ kind: 'panel', ...panel, gridPos: { h: PANEL_HEIGHT, w, x, y: y + Math.floor(index / perLine) * PANEL_HEIGHT } });
    });
    y += Math.ceil(row.panels.length / perLine) * PANEL_HEIGHT;
  }
  return placed;
}

/** The metric families the panels read (histograms by their family name), for the soak to keep at each scrape. */
export function dashboardFamilies(rows = DASHBOARD_ROWS) {
  const names = rows.flatMap((row) => row.panels.flatMap((panel) => panel.targets.flatMap((t) => t.expression.metrics)));
  return [...new Set(names.map(familyOf))];
}

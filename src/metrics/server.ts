// GET /metrics on a port of its own (METRICS_PORT): kept off the port the public reaches, for a
// scraper inside the network. Nothing else is served there.
import { createServer, type Server } from 'node:http';
import type { Metrics } from './metrics.js';
import { exposition } from './plugin.js';

export const METRICS_PATH = '/metrics';

export function createMetricsServer(metrics: Metrics): Server {
  return createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://metrics').pathname;
    if (path !== METRICS_PATH) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Only GET /metrics is served on this port.\n');
      return;
    }
    exposition(metrics, request.method ?? 'GET').then(
      ({ status, body, headers }) => response.writeHead(status, headers).end(body ?? undefined),
      () => response.writeHead(500).end(),
    );
  });
}

// GET /metrics on a port of its own (METRICS_PORT): kept off the port the public reaches, for a
// scraper inside the network. Nothing else is served there.
import { createServer, type Server } from 'node:http';
import type { Metrics } from './metrics.js';
import { exposition } from './plugin.js';
import { errorBody } from '../errors.js';

const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

export const METRICS_PATH = '/metrics';

export function createMetricsServer(metrics: Metrics): Server {
  return createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://metrics').pathname;
    if (path !== METRICS_PATH) {
      response.writeHead(404, JSON_TYPE).end(errorBody('Only GET /metrics is served on this port.', 'NOT_FOUND'));
      return;
    }
    exposition(metrics, request.method ?? 'GET').then(
      ({ status, body, headers }) => response.writeHead(status, headers).end(body ?? undefined),
      () => response.writeHead(500, JSON_TYPE).end(errorBody('The metrics could not be collected.', 'INTERNAL_SERVER_ERROR')),
    );
  });
}

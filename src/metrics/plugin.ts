// Serves GET /metrics on the main port when METRICS_PORT is not set. What it shows is fed by
// src/telemetry/plugin.ts (operations, errors, statements), and by the parts that count their own.
import type { Plugin } from 'graphql-yoga';
import { errorBody } from '../errors.js';
import type { Metrics } from './metrics.js';

/** `metricsPath`: where the main port serves the metrics; null when METRICS_PORT serves them. */
export function useMetrics(metrics: Metrics, metricsPath: string | null): Plugin {
  return {
    // Not async: every other request passes through here, and must not pay for a promise.
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (metricsPath === null || url.pathname !== metricsPath) return;
      return exposition(metrics, request.method).then(({ status, body, headers }) =>
        endResponse(new fetchAPI.Response(body, { status, headers })),
      );
    },
  };
}

type Exposition = { status: number; body: string | null; headers: Record<string, string> };

/** The text exposition for a GET (or HEAD); otherwise 405, with the contract's error body as every error answer has. */
export async function exposition(metrics: Metrics, method: string): Promise<Exposition> {
  if (method !== 'GET' && method !== 'HEAD') {
    return {
      status: 405,
      body: errorBody(`${method} is not allowed here: use GET.`, 'BAD_REQUEST'),
      headers: { allow: 'GET, HEAD', 'content-type': 'application/json; charset=utf-8' },
    };
  }
  let body: string;
  try {
    body = await metrics.scrape();
  } catch {
    return {
      status: 500,
      body: errorBody('The metrics could not be collected: try again.', 'INTERNAL_SERVER_ERROR'),
      headers: { 'content-type': 'application/json; charset=utf-8' },
    };
  }
  return {
    status: 200,
    body: method === 'HEAD' ? null : body,
    headers: { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' },
  };
}

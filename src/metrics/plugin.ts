// Serves GET /metrics on the main port when METRICS_PORT is not set. What it shows is fed by
// src/telemetry/plugin.ts (operations, errors, statements), and by the parts that count their own.
// On the main port anyone can ask, and a scrape renders every series (with 200 operation names,
// over 600 KB and 20 ms of CPU): unmetered, 32 connections asking at once took the server from
// 4,000 GraphQL requests a second to 3. So each address gets SCRAPES_PER_MINUTE there; METRICS_PORT,
// reachable only inside the network, is not metered.
import type { Plugin } from 'graphql-yoga';
import { errorBody, rateLimitedBody } from '../errors.js';
import { createBudget } from '../limits/rate-limit.js';
import { clientAddress } from '../request/client-address.js';
import type { Metrics } from './metrics.js';

/** @default 60 per client address per minute: a scraper every second; Prometheus's default is every 15 s. */
export const SCRAPES_PER_MINUTE = 60;

/** `metricsPath`: where the main port serves the metrics; null when METRICS_PORT serves them. */
export function useMetrics(metrics: Metrics, metricsPath: string | null): Plugin {
  // In this process's memory, as the render it protects is this process's CPU.
  const scrapes = createBudget({ points: SCRAPES_PER_MINUTE, windowSeconds: 60, redis: null, keyPrefix: 'scrapes' });
  return {
    // Not async: every other request passes through here, and must not pay for a promise.
    onRequest({ request, url, serverContext, endResponse, fetchAPI }) {
      if (metricsPath === null || url.pathname !== metricsPath) return;
      return meteredExposition(metrics, request.method, () => scrapes.consume(clientAddress(serverContext) ?? 'unknown', 1)).then(
        ({ status, body, headers }) => endResponse(new fetchAPI.Response(body, { status, headers })),
      );
    },
  };
}

async function meteredExposition(
  metrics: Metrics,
  method: string,
  charge: () => Promise<{ retryAfterSeconds: number | null }>,
): Promise<Exposition> {
  if (method === 'GET' || method === 'HEAD') {
    const { retryAfterSeconds } = await charge();
    if (retryAfterSeconds !== null) {
      metrics.rateLimitRefusals.inc({ kind: 'metrics_scrapes' });
      const message = `At most ${SCRAPES_PER_MINUTE} scrapes of /metrics a minute per client: try again in ${retryAfterSeconds} s, or scrape METRICS_PORT.`;
      return {
        status: 429,
        body: rateLimitedBody(message, retryAfterSeconds),
        headers: { 'content-type': 'application/json; charset=utf-8', 'retry-after': String(retryAfterSeconds) },
      };
    }
  }
  return exposition(metrics, method);
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

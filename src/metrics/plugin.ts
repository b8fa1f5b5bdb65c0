// Feeds ./metrics.ts from yoga's pipeline, and serves GET /metrics on the main port when
// METRICS_PORT is not set. Placed before the guards (src/app.ts), so that an operation's time
// counts from its admission, and a refusal by the guards is timed and counted too.
import { getOperationAST, type DocumentNode } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { errorBody } from '../errors.js';
import { currentRequest } from '../telemetry/request-scope.js';
import { operationLabels, type Metrics } from './metrics.js';

type ExecutionArgs = { document: DocumentNode; operationName?: string | null };

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
    onExecute({ args }) {
      const { document, operationName } = args as ExecutionArgs;
      const startedAt = performance.now();
      const operation = getOperationAST(document, operationName);
      const labels = operationLabels(metrics, {
        route: currentRequest()?.route ?? null,
        operationName: operation?.name?.value ?? null,
        operationType: operation?.operation ?? null,
      });
      return {
        onExecuteDone({ result }) {
          if (isAsyncIterable(result)) return;
          metrics.operationDuration.observe(labels, (performance.now() - startedAt) / 1000);
        },
      };
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

// The telemetry of each HTTP request, in yoga's pipeline (first of its plugins): the request's
// record (./request-scope.ts) for everything beneath it, its trace (./tracing.ts) with spans for
// parse, validate and execute, the SQL statements it sent (the metrics' histogram), and one log
// line when it is answered, plus a warning with the normalized document when it was slow.
// REST routes run their operation as a second request through the same pipeline: that one is
// part of the route's record, span and log line.
import { getOperationAST, type DocumentNode, type GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../context.js';
import { withContractCode } from '../contract-code.js';
import type { Log } from '../log.js';
import { operationLabels, type Metrics } from '../metrics/metrics.js';
import { requestIdOf } from '../request/request-id.js';
import { normalizedDocument } from './normalize.js';
import { currentRequest, inRequestScope, type BatchObserver, type RequestRecord } from './request-scope.js';
import { annotateActiveSpan, inSpan, isTracing, SpanStatusCode, startServerSpan, withTraceContext, type Span } from './tracing.js';

export type TelemetryOptions = {
  /** null when METRICS=false. */
  metrics: Metrics | null;
  log: Log;
  slowOperationMs: number;
};

/** Probes and scrapes come every few seconds: their lines would drown the requests'. Logged at debug. */
const QUIET_PATHS = new Set(['/health', '/ready', '/metrics']);
/** Operation names in log lines and spans: a client's name is kept whole up to this. */
const MAX_NAME_LENGTH = 100;

type ExecutionArgs = { document: DocumentNode; operationName?: string | null; contextValue: unknown };

export function useRequestTelemetry({ metrics, log, slowOperationMs }: TelemetryOptions): Plugin {
  const tracing = isTracing();
  // Nothing to record for (METRICS=false, LOG_LEVEL above info, no tracing): no hook, no cost.
  if (!metrics && !tracing && !log.isLevelEnabled('info')) return {};
  const spans = new WeakMap<RequestRecord, Span>();
  const observeBatch: BatchObserver = (loader, size, run) => {
    metrics?.loaderBatchSize.observe({ loader }, size);
    return inSpan(`dataloader.batch ${loader}`, { 'dataloader.name': loader, 'dataloader.keys': size }, run);
  };
  const noteOperation = ({ args }: { args: ExecutionArgs }) => {
    const record = currentRequest();
    if (!record) return;
    const operation = getOperationAST(args.document, args.operationName);
    record.operationType = operation?.operation ?? null;
    record.operationName = clip(operation?.name?.value ?? record.operationName);
    record.document = args.document;
    record.userId ??= (args.contextValue as Context).viewer?.id ?? null;
    annotateActiveSpan(operationAttributes(record));
  };

  return {
    instrumentation: {
      request({ request }, wrapped) {
        // REST's inner request: its work belongs to the route's record.
        if (currentRequest()) return wrapped();
        return inRequestScope(request, observeBatch, () => {
          const path = pathOf(request.url);
          const server = startServerSpan(request, `${request.method} ${path}`, {
            'http.request.method': request.method,
            'url.path': path,
          });
          if (!server) return wrapped();
          spans.set(currentRequest()!, server.span);
          return withTraceContext(server.context, wrapped);
        });
      },
      ...(tracing
        ? {
            parse: (_: unknown, wrapped: () => void) => inSpan('graphql.parse', {}, wrapped),
            validate: (_: unknown, wrapped: () => void) => inSpan('graphql.validate', {}, wrapped),
            execute: (_: unknown, wrapped: () => Promise<void> | void) => inSpan('graphql.execute', {}, wrapped),
            subscribe: (_: unknown, wrapped: () => Promise<void> | void) => inSpan('graphql.subscribe', {}, wrapped),
          }
        : {}),
    },
    onParams({ params }) {
      const record = currentRequest();
      if (record && typeof params.operationName === 'string') record.operationName ??= clip(params.operationName);
    },
    onExecute: noteOperation,
    onSubscribe: noteOperation,
    onResultProcess({ result }) {
      const record = currentRequest();
      for (const one of Array.isArray(result) ? result : [result]) {
        if (!('errors' in one)) continue;
        for (const error of (one.errors ?? []) as GraphQLError[]) {
          const code = String(withContractCode(error).extensions.code);
          metrics?.errors.inc({ code });
          record?.errorCodes.push(code);
        }
      }
    },
    onResponse({ request, response, serverContext }) {
      const record = currentRequest();
      if (record?.request !== request) return;
      const durationMs = performance.now() - record.startedAt;
      if (metrics && record.operationType) {
        metrics.operationStatements.observe(operationLabels(metrics, record), record.statements);
      }
      const span = spans.get(record);
      const traceId = span?.spanContext().traceId;
      if (span) endServerSpan(span, request, record, response.status);
      const path = pathOf(request.url);
      const line = {
        requestId: requestIdOf(serverContext, request),
        traceId,
        method: request.method,
        path,
        route: record.route ?? undefined,
        status: response.status,
        durationMs: Math.round(durationMs * 10) / 10,
        operationName: record.operationName,
        operationType: record.operationType,
        statements: record.statements,
        cost: record.cost,
        userId: record.userId,
        errorCodes: record.errorCodes.length > 0 ? [...new Set(record.errorCodes)] : undefined,
      };
      if (QUIET_PATHS.has(path)) log.debug(line, 'request');
      else log.info(line, 'request');
      if (durationMs > slowOperationMs && record.document) {
        log.warn({ ...line, slowOperationMs, document: normalizedDocument(record.document) }, 'slow operation');
      }
    },
  };
}

function endServerSpan(span: Span, request: Request, record: RequestRecord, status: number): void {
  span.updateName(record.route ?? `${request.method} ${pathOf(request.url)}`);
  span.setAttributes({ 'http.response.status_code': status, 'db.statements': record.statements, ...operationAttributes(record) });
  if (record.route) span.setAttribute('http.route', record.route);
  if (record.errorCodes.length > 0) span.setAttribute('graphql.error.codes', [...new Set(record.errorCodes)]);
  if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

function operationAttributes(record: RequestRecord) {
  return {
    ...(record.operationName ? { 'graphql.operation.name': record.operationName } : {}),
    ...(record.operationType ? { 'graphql.operation.type': record.operationType } : {}),
  };
}

/** The path of a request URL, without its query (which may carry variables). */
function pathOf(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  if (start < 0) return '/';
  const end = url.search(/[?#]/);
  return url.slice(start, end < 0 ? undefined : end);
}

const clip = (name: string | null): string | null => (name && name.length > MAX_NAME_LENGTH ? name.slice(0, MAX_NAME_LENGTH) : name);

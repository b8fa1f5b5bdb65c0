// The telemetry of each HTTP request, in yoga's pipeline (first of its plugins): the request's
// record (./request-record.ts) for everything beneath it, its trace (./tracing.ts) with spans for
// parse, validate and execute, the SQL statements it sent (the metrics' histogram), and one log
// line when it is answered, plus a warning with the normalized document when it was slow.
// REST routes run their operation as a second request through the same pipeline: that one is
// part of the route's record, span and log line.
import { getOperationAST, type DocumentNode, type GraphQLError } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Context } from '../context.js';
import { withContractCode } from '../contract-code.js';
import type { Log } from '../log.js';
import { operationLabels, type Metrics } from '../metrics/metrics.js';
import { requestIdOf } from '../request/request-id.js';
import { normalizedDocument } from './normalize.js';
import { clipName, openRecord, recordOf, type BatchObserver, type RequestRecord } from './request-record.js';
import { isRestOperation } from '../rest/trusted.js';
import { annotateActiveSpan, inSpan, isTracing, SpanStatusCode, startServerSpan, withTraceContext, type Span } from './tracing.js';

export type TelemetryOptions = {
  /** null when METRICS=false. */
  metrics: Metrics | null;
  log: Log;
  slowOperationMs: number;
};

/** Probes and scrapes come every few seconds: their lines would drown the requests'. Logged at debug. */
const QUIET_PATHS = new Set(['/health', '/ready', '/metrics']);

type ExecutionArgs = { document: DocumentNode; operationName?: string | null; contextValue: unknown };

export function useRequestTelemetry({ metrics, log, slowOperationMs }: TelemetryOptions): Plugin {
  const tracing = isTracing();
  // Nothing to record for (METRICS=false, LOG_LEVEL above info, no tracing): no hook, no cost.
  if (!metrics && !tracing && !log.isLevelEnabled('info')) return {};
  const serverSpans = new WeakMap<Request, Span>();
  const observeBatch: BatchObserver = (loader, size, run) => {
    metrics?.loaderBatchSize.observe({ loader }, size);
    if (!tracing) return run();
    return inSpan(`dataloader.batch ${loader}`, { 'dataloader.name': loader, 'dataloader.keys': size }, run);
  };
  const noteOperation = ({ args }: { args: ExecutionArgs }) => {
    const record = (args.contextValue as Context).telemetry;
    if (!record) return undefined;
    const operation = getOperationAST(args.document, args.operationName);
    record.operationType = operation?.operation ?? null;
    record.operationName = clipName(operation?.name?.value ?? record.operationName);
    record.document = args.document;
    record.userId ??= (args.contextValue as Context).viewer?.id ?? null;
    if (tracing) annotateActiveSpan(operationAttributes(record));
    return record;
  };

  return {
    // With tracing on, the request runs inside its server span, continuing the caller's traceparent.
    ...(tracing
      ? {
          instrumentation: {
            request({ request }: { request: Request }, wrapped: () => Promise<void> | void) {
              // REST's inner request: part of its route's span.
              if (isRestOperation(request)) return wrapped();
              const path = pathOf(request.url);
              const server = startServerSpan(request, `${request.method} ${path}`, {
                'http.request.method': request.method,
                'url.path': path,
              });
              if (!server) return wrapped();
              serverSpans.set(request, server.span);
              return withTraceContext(server.context, wrapped);
            },
            parse: (_: unknown, wrapped: () => void) => inSpan('graphql.parse', {}, wrapped),
            validate: (_: unknown, wrapped: () => void) => inSpan('graphql.validate', {}, wrapped),
            execute: (_: unknown, wrapped: () => Promise<void> | void) => inSpan('graphql.execute', {}, wrapped),
            subscribe: (_: unknown, wrapped: () => Promise<void> | void) => inSpan('graphql.subscribe', {}, wrapped),
          },
        }
      : {}),
    // First of the plugins (app.ts): every request has its record before anything else looks.
    onRequest({ request, serverContext }) {
      openRecord(serverContext, request, observeBatch);
    },
    onParams({ params, context }) {
      const record = recordOf(context);
      if (record && typeof params.operationName === 'string') record.operationName ??= clipName(params.operationName);
    },
    // Timed from here, the first plugin: an operation's time counts from its admission, and a
    // refusal by the guards is timed too.
    onExecute(payload) {
      const record = noteOperation(payload);
      if (!metrics || !record) return;
      const startedAt = performance.now();
      return {
        onExecuteDone({ result }) {
          if (isAsyncIterable(result)) return;
          metrics.operationDuration.observe(operationLabels(metrics, record), (performance.now() - startedAt) / 1000);
        },
      };
    },
    onSubscribe(payload) {
      noteOperation(payload);
    },
    onResultProcess({ result, serverContext }) {
      const record = recordOf(serverContext);
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
      const record = recordOf(serverContext);
      // REST's inner request answers to the route, whose own response ends the record.
      if (record?.request !== request) return;
      const durationMs = performance.now() - record.startedAt;
      if (metrics && record.operationType) {
        metrics.operationStatements.observe(operationLabels(metrics, record), record.statements);
      }
      const span = tracing ? serverSpans.get(request) : undefined;
      if (span) endServerSpan(span, request, record, response.status);
      const path = pathOf(request.url);
      const isQuiet = QUIET_PATHS.has(path);
      const isSlow = durationMs > slowOperationMs && record.document !== null;
      // At LOG_LEVEL=warn (the bench's) no line is built at all, unless the operation was slow.
      const isLogged = log.isLevelEnabled(isQuiet ? 'debug' : 'info');
      if (!isLogged && !isSlow) return;
      const line = {
        requestId: requestIdOf(serverContext, request),
        traceId: span?.spanContext().traceId,
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
      if (isQuiet) log.debug(line, 'request');
      else log.info(line, 'request');
      if (isSlow && record.document) {
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

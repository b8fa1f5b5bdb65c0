// OpenTelemetry traces, exported over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT (or
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set: one trace per request, continuing the caller's
// `traceparent`. Process-wide, as OpenTelemetry is: main.ts starts it before the app. When it is
// not started, every helper here is a plain call: no context manager, no span objects, no
// AsyncLocalStorage of OpenTelemetry's (zero cost when unset).
import {
  context,
  diag,
  DiagLogLevel,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context as TraceContext,
  type Span,
  type TextMapGetter,
  type Tracer,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type Sampler,
} from '@opentelemetry/sdk-trace';
import type { Config } from '../config.js';
import { withoutStatementParams, type Log } from '../log.js';

let tracer: Tracer | null = null;
let provider: TracerProvider | null = null;
const propagator = new W3CTraceContextPropagator();

/** @default 60000 ms: a collector that stays down is reported once a minute, not with every batch. */
const EXPORT_WARNING_INTERVAL_MS = 60_000;

/** Starts exporting traces if the settings name an endpoint; once per process. */
export function startTracing(settings: Config['telemetry'], log: Log): void {
  if (settings.tracesUrl === null || provider !== null) return;
  reportExportFailures(log);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const sampleRoot: Sampler = settings.sampleRatio >= 1 ? new AlwaysOnSampler() : new TraceIdRatioBasedSampler(settings.sampleRatio);
  provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': settings.serviceName }),
    sampler: settings.parentBased ? new ParentBasedSampler({ root: sampleRoot }) : sampleRoot,
    // Batched: spans are sent every second in one request, never on the request's own path.
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: settings.tracesUrl }), scheduledDelayMillis: 1000 })],
  });
  tracer = provider.getTracer('social-graphql');
}

/**
 * OpenTelemetry reports a failed export (collector down, refusing) through its diagnostic
 * logger, silent by default: spans would go missing without a word. Warned, at most once a minute.
 */
function reportExportFailures(log: Log): void {
  let lastWarnedAt = -Infinity;
  const warn = (message: string, ...args: unknown[]) => {
    if (Date.now() - lastWarnedAt < EXPORT_WARNING_INTERVAL_MS) return;
    lastWarnedAt = Date.now();
    const detail = [message, ...args.map(String)].join(' ').slice(0, 500);
    log.warn({ detail }, 'tracing: spans could not be sent (warned at most once a minute)');
  };
  const ignore = () => undefined;
  diag.setLogger({ error: warn, warn, info: ignore, debug: ignore, verbose: ignore }, DiagLogLevel.WARN);
}

/** @default 2000 ms: a collector that does not answer must not hold the shutdown up. */
const FLUSH_TIMEOUT_MS = 2000;

/** Sends the spans still buffered (for up to FLUSH_TIMEOUT_MS) and stops: the last step of a graceful shutdown. */
export async function stopTracing(): Promise<void> {
  const stopping = provider;
  provider = null;
  tracer = null;
  if (!stopping) return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, FLUSH_TIMEOUT_MS)));
  await Promise.race([stopping.shutdown(), timeout]);
  clearTimeout(timer);
}

export function isTracing(): boolean {
  return tracer !== null;
}

const headerGetter: TextMapGetter<Headers> = {
  get: (headers, key) => headers.get(key) ?? undefined,
  keys: (headers) => [...headers.keys()],
};

/**
 * Runs `handle` inside a server span for `request`, child of the caller's `traceparent` if it
 * sent one. Returns the span (to be named and ended by the caller, once the response is known).
 */
export function startServerSpan(request: Request, name: string, attributes: Attributes): { span: Span; context: TraceContext } | null {
  if (tracer === null) return null;
  const parent = propagator.extract(ROOT_CONTEXT, request.headers, headerGetter);
  const span = tracer.startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
  return { span, context: trace.setSpan(parent, span) };
}

/** Runs `fn` in `ctx` (the server span's), or just runs it when tracing is off. */
export function withTraceContext<T>(ctx: TraceContext | undefined, fn: () => T): T {
  return ctx === undefined ? fn() : context.with(ctx, fn);
}

/**
 * Runs `fn` inside a child span of the active one, ending it when `fn` returns or its promise
 * settles (an error marks the span). With tracing off, or no request span active (startup, the
 * migrations), it only runs `fn`.
 */
export function inSpan<T>(name: string, attributes: Attributes, fn: () => T): T {
  const span = startChildSpan(name, attributes);
  if (span === null) return fn();
  let result: T;
  try {
    result = context.with(trace.setSpan(context.active(), span), fn);
  } catch (error) {
    endWithError(span, error);
    throw error;
  }
  if (result instanceof Promise) {
    return result.then(
      (value: unknown) => {
        span.end();
        return value;
      },
      (error: unknown) => {
        endWithError(span, error);
        throw error;
      },
    ) as T;
  }
  span.end();
  return result;
}

/** A child span of the active one, to be ended by the caller; null with tracing off or no span active. */
export function startChildSpan(name: string, attributes: Attributes): Span | null {
  if (tracer === null) return null;
  const parent = context.active();
  if (trace.getSpan(parent) === undefined) return null;
  return tracer.startSpan(name, { attributes }, parent);
}

/**
 * Runs `fn` (synchronous) as a trace of its own: what happens outside any request, such as
 * handing one subscription event to this instance's subscribers.
 */
export function inNewTrace<T>(name: string, attributes: Attributes, fn: () => T): T {
  if (tracer === null) return fn();
  const span = tracer.startSpan(name, { kind: SpanKind.CONSUMER, attributes }, ROOT_CONTEXT);
  try {
    return context.with(trace.setSpan(ROOT_CONTEXT, span), fn);
  } finally {
    span.end();
  }
}

/**
 * `fn`, made to run in the context active now, whoever calls it later; `fn` itself with tracing
 * off. For callbacks a library calls from someone else's context (src/db/client.ts).
 */
export function bindToActiveContext<F extends (...args: never[]) => unknown>(fn: F): F {
  return tracer === null ? fn : context.bind(context.active(), fn);
}

/** Sets attributes on the active span, when there is one. */
export function annotateActiveSpan(attributes: Attributes): void {
  if (tracer !== null) trace.getActiveSpan()?.setAttributes(attributes);
}

/**
 * Marks the span failed and ends it. The message loses drizzle's "params:" line, as the logs do
 * (src/log.ts): a statement's parameters may hold emails or other personal data.
 */
export function endWithError(span: Span, error: unknown): void {
  const name = error instanceof Error ? error.name : 'Error';
  const message = withoutStatementParams(error instanceof Error ? error.message : String(error));
  span.recordException({ name, message });
  span.setStatus({ code: SpanStatusCode.ERROR, message });
  span.end();
}

export { SpanStatusCode, type Span };

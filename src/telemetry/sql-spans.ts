// A span per SQL statement, named by its operation ("SELECT", "INSERT"…) as OpenTelemetry's
// database conventions do when the target is not certain (a read joins several tables), with the
// statement's text: parameterized, so it holds no values.
import type { Attributes } from '@opentelemetry/api';
import { endWithError, startChildSpan, type Span } from './tracing.js';

const VERB = /^\s*(\w+)/;

/**
 * Sends a statement through `send` (the driver's query, called as the caller called it) inside a
 * span of the active request, when tracing is on. The span ends with the statement, whether the
 * caller passed a callback (pg-pool does) or awaits the promise; what `send` returns is returned
 * as is, so that a failure reaches the caller exactly as it did without tracing.
 */
export function sendInStatementSpan(text: string, args: unknown[], send: (args: unknown[]) => unknown): unknown {
  const span = statementSpan(text);
  if (span === null) return send(args);
  const callback = args.at(-1) as ((error: Error | null, result: unknown) => void) | undefined;
  if (typeof callback === 'function') {
    const ended = (error: Error | null, result: unknown) => {
      end(span, error);
      callback(error, result);
    };
    return send([...args.slice(0, -1), ended]);
  }
  const sent = send(args);
  // Both outcomes handled: this derived promise never rejects unhandled.
  if (sent instanceof Promise)
    sent.then(
      () => end(span, null),
      (error: unknown) => end(span, error),
    );
  else end(span, null);
  return sent;
}

function statementSpan(text: string): Span | null {
  const verb = (VERB.exec(text)?.[1] ?? 'SQL').toUpperCase();
  const attributes: Attributes = {
    'db.system.name': 'postgresql',
    'db.operation.name': verb,
    'db.query.text': text.length > 2000 ? `${text.slice(0, 2000)}…` : text,
  };
  return startChildSpan(verb, attributes);
}

function end(span: Span, error: unknown): void {
  if (error) endWithError(span, error);
  else span.end();
}

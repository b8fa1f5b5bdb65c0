// The pino logger. JSON lines on stdout; one logger per app, children per request.
import pino from 'pino';

export type Log = pino.Logger;

/** `destination` defaults to stdout; tests pass a stream to read what was logged. */
export function createLog(level: string, destination?: pino.DestinationStream): Log {
  return pino(
    {
      level,
      base: { service: 'social-graphql' },
      serializers: { err: serializeError },
      // Never log credentials, whatever a caller passes in.
      redact: ['req.headers.authorization', '*.password', 'password'],
    },
    destination,
  );
}

/**
 * pino's error serializer, minus statement parameters: drizzle's errors carry them (`params`,
 * and a "params:" line in the message), and they may hold emails or other personal data.
 * The SQL text and the driver's code stay: they are what an operator needs.
 */
function serializeError(error: unknown) {
  const serialized = pino.stdSerializers.err(error as Error) as Record<string, unknown>;
  delete serialized.params;
  if (typeof serialized.message === 'string') serialized.message = withoutStatementParams(serialized.message);
  if (typeof serialized.stack === 'string') serialized.stack = serialized.stack.replace(/\nparams: [^\n]*/, '');
  const cause = serialized.cause as Record<string, unknown> | undefined;
  if (cause && typeof cause === 'object') delete cause.params;
  return serialized;
}

/** A driver error's message without drizzle's trailing "params:" line (logs and spans alike). */
export function withoutStatementParams(message: string): string {
  return message.replace(/\nparams: [\s\S]*$/, '');
}

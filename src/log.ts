// The pino logger. JSON lines on stdout; one logger per app, children per request.
import pino from 'pino';

export type Log = pino.Logger;

/** `destination` defaults to stdout; tests pass a stream to read what was logged. */
export function createLog(level: string, destination?: pino.DestinationStream): Log {
  return pino(
    {
    level,
    base: { service: 'social-graphql' },
    // Never log credentials, whatever a caller passes in.
    redact: ['req.headers.authorization', '*.password', 'password'],
    },
    destination,
  );
}

// Expected errors (a GraphQLError we built, with a contract code) reach the client as they are.
// Anything else is masked: INTERNAL_SERVER_ERROR, no stack, no SQL; or SERVICE_UNAVAILABLE (503)
// when the database is unreachable or timed out. The original stays attached, unserialised,
// so that useErrorLog can log it once with the request id.
import { GraphQLError } from 'graphql';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import { internalError, serviceUnavailable } from '../errors.js';

export function maskError(error: unknown): Error {
  if (error instanceof GraphQLError) {
    const original = error.originalError;
    // Thrown by us on purpose (graphql-js wraps it with its location): shown as it is.
    if (!original || original instanceof GraphQLError) return error;
    return withLocation(isDatabaseUnavailable(original) ? serviceUnavailable() : internalError(), error, original);
  }
  return withLocation(isDatabaseUnavailable(error) ? serviceUnavailable() : internalError(), undefined, error);
}

function withLocation(shown: GraphQLError, at: GraphQLError | undefined, original?: unknown): GraphQLError {
  return new GraphQLError(shown.message, {
    nodes: at?.nodes,
    source: at?.source,
    positions: at?.positions,
    path: at?.path,
    originalError: original instanceof Error ? original : shown.originalError,
    extensions: shown.extensions,
  });
}

// The contract's error codes (../shared/api/README.md), and one function that builds each
// expected error. Anything else a resolver throws is unexpected: yoga masks it (src/http/mask-errors.ts).
import { GraphQLError } from 'graphql';

export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'BAD_REQUEST'
  | 'NOT_FOUND'
  | 'GRAPHQL_PARSE_FAILED'
  | 'GRAPHQL_VALIDATION_FAILED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'CONFLICT'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'IDEMPOTENCY_KEY_IN_PROGRESS'
  | 'IDEMPOTENCY_KEY_REQUIRED'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

export type InputProblem = { field: string; message: string };

function expected(message: string, code: ErrorCode, extensions: Record<string, unknown> = {}, httpStatus?: number) {
  return new GraphQLError(message, {
    extensions: { code, ...extensions, ...(httpStatus ? { http: { status: httpStatus } } : {}) },
  });
}

/** Every problem with the input at once, each naming the argument path as the client wrote it. */
export function badUserInput(details: InputProblem[]): GraphQLError {
  const message = details.length === 1 ? details[0]!.message : `${details.length} problems with the input: ${details.map((d) => d.message).join('; ')}`;
  return expected(message, 'BAD_USER_INPUT', { details });
}

export function notFound(what: string): GraphQLError {
  return expected(`${what} does not exist.`, 'NOT_FOUND');
}

export function unauthenticated(message = 'Sign in first: send Authorization: Bearer <token> from createUser or logIn.'): GraphQLError {
  return expected(message, 'UNAUTHENTICATED');
}

export function forbidden(message: string): GraphQLError {
  return expected(message, 'FORBIDDEN');
}

export function conflict(message: string, details?: InputProblem[]): GraphQLError {
  return expected(message, 'CONFLICT', details ? { details } : {});
}

/** The HTTP request itself is wrong (a header, the shape of the request): 400 whatever the client accepts. */
export function badRequest(message: string): GraphQLError {
  return expected(message, 'BAD_REQUEST', {}, 400);
}

export function idempotencyKeyReused(): GraphQLError {
  return expected(
    'This Idempotency-Key was already used with a different request body: send a new key for a new request.',
    'IDEMPOTENCY_KEY_REUSED',
    {},
    422,
  );
}

export function idempotencyKeyInProgress(): GraphQLError {
  return expected(
    'A request with this Idempotency-Key is still running: retry it once that one has finished.',
    'IDEMPOTENCY_KEY_IN_PROGRESS',
    {},
    409,
  );
}

export function idempotencyKeyRequired(): GraphQLError {
  return expected(
    'This server requires an Idempotency-Key header on every mutation (but createUser and logIn): send a new unique key, the same one when retrying.',
    'IDEMPOTENCY_KEY_REQUIRED',
    {},
    400,
  );
}

export function serviceUnavailable(): GraphQLError {
  return expected('The database is unavailable right now; try again shortly.', 'SERVICE_UNAVAILABLE', {}, 503);
}

export function internalError(): GraphQLError {
  return expected('Something went wrong on our side; it has been logged.', 'INTERNAL_SERVER_ERROR');
}

/** A response body for errors raised outside GraphQL execution (unknown path, bad HTTP request). */
export function errorBody(message: string, code: ErrorCode): string {
  return JSON.stringify({ errors: [{ message, extensions: { code } }] });
}

/**
 * A foreign key guarantees the related row; its absence means it was deleted between two
 * statements of this request. Say so plainly instead of returning null for a non-null field.
 */
export function mustExist<T>(row: T | null, what: string, ofId: number): T {
  if (row === null) throw new Error(`expected the ${what} of row ${ofId} to exist, found none (deleted meanwhile?)`);
  return row;
}

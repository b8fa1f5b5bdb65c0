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
  | 'QUERY_TOO_DEEP'
  | 'QUERY_TOO_COMPLEX'
  | 'RATE_LIMITED'
  | 'PAYLOAD_TOO_LARGE'
  | 'PERSISTED_QUERY_NOT_FOUND'
  | 'PERSISTED_QUERY_MISMATCH'
  | 'PERSISTED_QUERY_ONLY'
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
  const message =
    details.length === 1 ? details[0]!.message : `${details.length} problems with the input: ${details.map((d) => d.message).join('; ')}`;
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

/**
 * A request error of the guards (src/limits/): 400 for a client that accepts
 * application/graphql-response+json, 200 for one that accepts only application/json.
 */
function requestError(message: string, code: ErrorCode, extensions: Record<string, unknown>) {
  return new GraphQLError(message, { extensions: { code, ...extensions, http: { status: 400, spec: true } } });
}

/** `limit` and `depth` in the contract's terms: the root field is level 1. */
export function queryTooDeep(depth: number | null, limit: number, what = 'The operation'): GraphQLError {
  const found = depth === null ? 'is' : `is ${depth} levels deep,`;
  return requestError(
    `${what} ${found} over the limit of ${limit} levels (the root field is level 1): ask for less nesting, or split it.`,
    'QUERY_TOO_DEEP',
    { limit },
  );
}

/** graphql's MaxIntrospectionDepthRule: the lists of __schema/__type nested in each other over `limit`. */
export function introspectionTooDeep(limit: number): GraphQLError {
  return requestError(
    `Introspection nests fields, interfaces, possibleTypes or inputFields in each other more than ${limit} deep: ask for less nesting.`,
    'QUERY_TOO_DEEP',
    { limit },
  );
}

export function queryTooComplex(cost: number, limit: number): GraphQLError {
  return requestError(
    `The operation costs ${cost} points, over the limit of ${limit}: ask for smaller pages (first) or fewer nested connections.`,
    'QUERY_TOO_COMPLEX',
    { cost, limit },
  );
}

/** A shape limit (aliases, directives): the document is refused as it would be by validation. */
export function overShapeLimit(message: string, limit: number): GraphQLError {
  return requestError(message, 'GRAPHQL_VALIDATION_FAILED', { limit });
}

export function payloadTooLarge(limitBytes: number): GraphQLError {
  return expected(`The request body is over the limit of ${limitBytes} bytes.`, 'PAYLOAD_TOO_LARGE', { limit: limitBytes }, 413);
}

export function rateLimited(retryAfterSeconds: number, message = 'Rate limit exceeded'): GraphQLError {
  return new GraphQLError(`${message}: try again in ${retryAfterSeconds} s.`, {
    extensions: {
      code: 'RATE_LIMITED',
      retryAfter: retryAfterSeconds,
      http: { status: 429, headers: { 'retry-after': String(retryAfterSeconds) } },
    },
  });
}

export function persistedQueryOnly(): GraphQLError {
  return expected(
    'This server runs only persisted operations: send extensions.persistedQuery.sha256Hash of an operation in its manifest.',
    'PERSISTED_QUERY_ONLY',
    {},
    400,
  );
}

/** As Apollo's APQ protocol words it (clients match the message), with the contract's code: HTTP 200. */
export function persistedQueryMismatch(): GraphQLError {
  return expected('PersistedQueryMismatch', 'PERSISTED_QUERY_MISMATCH', {}, 200);
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

/** A 429's body outside GraphQL execution (a refused stream, a scrape): what rateLimited() gives a client. */
export function rateLimitedBody(message: string, retryAfterSeconds: number): string {
  return JSON.stringify({ errors: [{ message, extensions: { code: 'RATE_LIMITED', retryAfter: retryAfterSeconds } }] });
}

/**
 * A foreign key guarantees the related row; its absence means it was deleted between two
 * statements of this request. Say so plainly instead of returning null for a non-null field.
 */
export function mustExist<T>(row: T | null, what: string, ofId: number): T {
  if (row === null) throw new Error(`expected the ${what} of row ${ofId} to exist, found none (deleted meanwhile?)`);
  return row;
}

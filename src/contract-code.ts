// Every error a client gets carries the contract's shape (../shared/api/README.md): a
// machine-readable extensions.code, the contract's HTTP status, and nothing internal.
//  - a variable whose value does not fit its type → BAD_USER_INPUT naming the variable ($first);
//  - yoga's HTTP-level errors → BAD_REQUEST with their 4xx status;
//  - an error with no code → BAD_REQUEST below 500, INTERNAL_SERVER_ERROR from 500.
// "spec: true" marks request errors that a client accepting only application/json gets with
// 200, as the GraphQL-over-HTTP spec says (yoga applies it when choosing the status).
import { GraphQLError } from 'graphql';
import { boundDetails, boundMessage } from './bounded-errors.js';
import { variableNamedBy } from './limits/variables.js';

/**
 * The error in the contract's shape: a contract code, its HTTP status, a bounded message and
 * details. Every transport applies it: HTTP in onResultProcess (src/http/error-codes.ts), the
 * WebSocket on each result it sends (src/realtime/ws-operation.ts), which has no onResultProcess.
 */
export function withContractCode(error: GraphQLError): GraphQLError {
  // graphql-jit reports variable errors without extensions: treat those as empty.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- graphql-jit's GraphQLError leaves extensions undefined, which graphql's type does not allow for
  const { originalError: _internal, ...extensions } = (error.extensions ?? {}) as Record<string, unknown> & {
    http?: { status?: number; spec?: boolean };
  };
  const variable = variableNamedBy(error);
  let message = error.message;
  if (!extensions.code && variable) {
    extensions.code = 'BAD_USER_INPUT';
    extensions.details = [{ field: variable, message: error.message }];
    extensions.http = { status: 400, spec: true };
  } else if (extensions.code === 'OPERATION_RESOLUTION_FAILURE') {
    // yoga's word for a document whose operation to run cannot be told: not a contract code.
    extensions.code = 'BAD_REQUEST';
    extensions.http = { status: 400 };
    message =
      'Could not tell which operation to run: the document has several operations and no operationName, or operationName names none of them.';
  } else if (extensions.code === 'BAD_REQUEST') {
    // A malformed HTTP request is 4xx whatever the client accepts (no "spec" leniency).
    const status = extensions.http?.status;
    extensions.http = { status: status && status >= 400 ? status : 400 };
  } else if (!extensions.code) {
    extensions.code = (extensions.http?.status ?? 500) < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR';
  }
  if (extensions.details !== undefined) extensions.details = boundDetails(extensions.details);
  return new GraphQLError(boundMessage(message), {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions,
  });
}

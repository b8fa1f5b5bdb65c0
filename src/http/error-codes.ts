// Gives every error yoga raises itself, before or around execution, the contract's shape:
// a machine-readable extensions.code, the contract's HTTP status, and nothing internal.
//  - a variable whose value does not fit its type → BAD_USER_INPUT naming the variable ($first);
//  - yoga's HTTP-level errors → BAD_REQUEST with their 4xx status;
//  - 406/415, which yoga answers with an empty body → a GraphQL error body too.
// "spec: true" marks request errors that a client accepting only application/json gets with
// 200, as the GraphQL-over-HTTP spec says (yoga applies it when choosing the status).
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { errorBody } from '../errors.js';
import { variableNamedBy } from '../limits/variables.js';
import { boundDetails, boundErrorList, boundMessage } from './bounded-errors.js';

export function useErrorCodes(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || !result || !('errors' in result) || !result.errors?.length) return;
      setResult({ ...result, errors: boundErrorList(result.errors.map(withContractCode)) });
    },
    onResponse({ response, setResponse, fetchAPI }) {
      const hasBody = response.headers.get('content-type') !== null;
      if (hasBody || (response.status !== 406 && response.status !== 415)) return;
      const message =
        response.status === 406
          ? 'The Accept header allows no response type this server sends: accept application/json or application/graphql-response+json.'
          : 'Send the request as application/json (or a GET with query parameters).';
      const headers = new fetchAPI.Headers(response.headers);
      headers.set('content-type', 'application/json; charset=utf-8');
      setResponse(new fetchAPI.Response(errorBody(message, 'BAD_REQUEST'), { status: response.status, headers }));
    },
  };
}

/** Also used by the WebSocket transport (src/realtime/ws.ts), which has no onResultProcess. */
export function withContractCode(error: GraphQLError): GraphQLError {
  // graphql-jit reports variable errors without extensions: treat those as empty.
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

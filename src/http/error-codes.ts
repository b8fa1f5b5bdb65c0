// Gives every error yoga raises itself, before or around execution, the contract's shape
// (src/contract-code.ts: a machine-readable extensions.code, the contract's HTTP status, and
// nothing internal), with the error list bounded; and 406/415, which yoga answers with an empty
// body, a GraphQL error body too.
import type { Plugin } from 'graphql-yoga';
import { boundErrorList } from '../bounded-errors.js';
import { withContractCode } from '../contract-code.js';
import { errorBody } from '../errors.js';

export function useErrorCodes(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || !('errors' in result) || !result.errors?.length) return;
      setResult({ ...result, errors: boundErrorList(result.errors.map(withContractCode)) });
    },
    onResponse({ response, setResponse, fetchAPI }) {
      if (response.status !== 406 && response.status !== 415) return;
      if (response.headers.get('content-type') !== null) return; // it has a body
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

// The request body limit (MAX_BODY_BYTES, 1 MiB): yoga enforces it (maxRequestBodySize, by
// Content-Length, and by counting the bytes of a chunked body), before anything is parsed. This
// gives its 413 the contract's code. The WebSocket transport applies the same bound as ws's maxPayload.
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export function usePayloadTooLarge(maxBodyBytes: number): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || !result || !('errors' in result) || !result.errors?.length) return;
      const errors = result.errors as GraphQLError[];
      if (!errors.some((error) => error.extensions?.code === 'REQUEST_ENTITY_TOO_LARGE')) return;
      setResult({
        ...result,
        errors: errors.map((error) =>
          error.extensions?.code === 'REQUEST_ENTITY_TOO_LARGE'
            ? new GraphQLError(`The request body is over the limit of ${maxBodyBytes} bytes.`, {
                extensions: { ...error.extensions, code: 'PAYLOAD_TOO_LARGE', limit: maxBodyBytes },
              })
            : error,
        ),
      });
    },
  };
}

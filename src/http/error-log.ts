// Logs every unexpected error once, with the request id, after masking hid it from the client.
import type { Plugin } from 'graphql-yoga';
import { GraphQLError } from 'graphql';
import type { Log } from '../log.js';
import { requestIdOf } from '../request/request-id.js';

export function useErrorLog(log: Log): Plugin {
  return {
    onResultProcess({ request, result, serverContext }) {
      if (!Array.isArray(result) && !(result as { errors?: readonly unknown[] }).errors?.length) return;
      for (const item of Array.isArray(result) ? result : [result]) {
        const errors = (item as { errors?: readonly unknown[] } | undefined)?.errors ?? [];
        for (const error of errors) {
          if (!(error instanceof GraphQLError) || !error.originalError || error.originalError instanceof GraphQLError) continue;
          const details = {
            err: error.originalError,
            requestId: requestIdOf(serverContext, request),
            path: error.path?.join('.'),
            code: error.extensions.code,
          };
          // An outage is not a bug: warn, so that error-level alerts stay about our own faults.
          if (error.extensions.code === 'SERVICE_UNAVAILABLE') log.warn(details, 'database unavailable while serving a request');
          else log.error(details, 'unexpected error while serving a request');
        }
      }
    },
  };
}

// Any path but /graphql (and the health probes): 404 with a GraphQL-shaped body, so that every
// error a client sees has one shape and an extensions.code.
import type { Plugin } from 'graphql-yoga';
import { errorBody } from '../errors.js';

export function useNotFound(graphqlPath: string): Plugin {
  return {
    onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== graphqlPath) {
        endResponse(
          new fetchAPI.Response(errorBody(`Nothing here: the GraphQL endpoint is ${graphqlPath}.`, 'NOT_FOUND'), {
            status: 404,
            headers: { 'content-type': 'application/json; charset=utf-8' },
          }),
        );
      }
    },
  };
}

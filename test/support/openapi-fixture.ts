// A small, valid OpenAPI 3.1 document of the REST route table, for the docs page's browser test
// while the server's own generator (src/rest/openapi.ts) is not there: paths, methods, summaries,
// path parameters and each route's success status, nothing more.
import type { Route } from '../../src/rest/routes.js';

export function openApiOfRoutes(routes: readonly Route[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const parameters = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    (paths[route.path] ??= {})[route.method.toLowerCase()] = {
      operationId: route.operationId,
      summary: route.summary,
      ...(parameters.length > 0 ? { parameters } : {}),
      responses: { [route.status]: { description: 'Success.' } },
    };
  }
  return { openapi: '3.1.0', info: { title: 'Social GraphQL REST API', version: '1' }, paths };
}

// Deprecation, Sunset and Link headers on a GraphQL response whose operation used something
// deprecated (src/api/deprecations.ts), as Shopify's API does: the client's logs show it before
// the sunset does. Over WebSocket there are no headers; the schema's @deprecated says it there.
import { getOperationAST, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { deprecationHeaders } from '../api/deprecation-headers.js';
import type { Deprecation, DeprecationRegistry } from '../api/deprecation-registry.js';
import { deprecationsUsedBy } from '../api/deprecations-used.js';
import { fragmentsOf } from '../operation/fragments.js';

export type DeprecationCache = {
  /** The deprecated things this operation of this document uses; [] when it has no such operation. */
  usedBy(document: DocumentNode, operationName: string | null | undefined): readonly Deprecation[];
};

/**
 * Walks each operation once: yoga hands every request of the same text the same parsed document,
 * so answers are kept by that object, weakly, as src/limits/operation-cache.ts keeps its entries.
 */
export function createDeprecationCache(schema: GraphQLSchema, registry: DeprecationRegistry): DeprecationCache {
  const byDocument = new WeakMap<DocumentNode, Map<string, readonly Deprecation[]>>();
  return {
    usedBy(document, operationName) {
      let byName = byDocument.get(document);
      if (!byName) byDocument.set(document, (byName = new Map<string, readonly Deprecation[]>()));
      const name = operationName ?? '';
      let used = byName.get(name);
      if (!used) {
        const operation = getOperationAST(document, operationName ?? undefined);
        // Names the document does not define are not kept: they would grow the map without bound.
        if (!operation) return [];
        used = deprecationsUsedBy(schema, registry, operation, fragmentsOf(document));
        byName.set(name, used);
      }
      return used;
    },
  };
}

type ExecutionArgs = { document: DocumentNode; operationName?: string | null; contextValue: unknown };

/** `countUse`: told of each deprecated thing an operation uses (the metrics' graphql_deprecated_field_usage_total). */
export function useDeprecationHeaders(
  registry: DeprecationRegistry,
  schema: GraphQLSchema,
  countUse: (target: string) => void = () => undefined,
): Plugin {
  // Nothing deprecated (the usual case): no hook, no cost.
  if (registry.size === 0) return {};
  const cache = createDeprecationCache(schema, registry);
  const usedByRequest = new WeakMap<Request, readonly Deprecation[]>();
  // envelop types the arguments as `any`; here they are graphql-js's.
  const noteUse = ({ args }: { args: ExecutionArgs }) => {
    const used = cache.usedBy(args.document, args.operationName);
    for (const { target } of used) countUse(target);
    const request = (args.contextValue as { request?: Request }).request;
    if (!request) return; // over WebSocket: no response headers to set
    // A batched request runs several operations: its response answers for all of them.
    if (used.length > 0) usedByRequest.set(request, [...(usedByRequest.get(request) ?? []), ...used]);
  };
  return {
    onExecute: noteUse,
    onSubscribe: noteUse, // a subscription over SSE: its headers go out before the first event
    onResponse({ request, response }) {
      const headers = deprecationHeaders(usedByRequest.get(request) ?? []);
      if (!headers) return;
      for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
    },
  };
}

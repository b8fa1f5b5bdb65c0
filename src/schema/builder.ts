// The Pothos builder: plugins, scalars and the Context type. Defines no object types.
import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { GraphQLError, Kind } from 'graphql';
import { accessRules, unauthorizedError, type AuthScopes, type SignedInContext } from '../auth/scopes.js';
import type { Context } from '../context.js';

export const builder = new SchemaBuilder<{
  Context: Context;
  AuthScopes: AuthScopes;
  AuthContexts: { authenticated: SignedInContext };
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    ID: { Input: string; Output: string | number };
  };
}>({
  // Scope auth first, so that its checks run before any other plugin's wrapper of a resolver.
  plugins: [ScopeAuthPlugin, ComplexityPlugin, RelayPlugin],
  defaultFieldNullability: false,
  scopeAuth: { authScopes: accessRules, unauthorizedError },
  // Fields declare their cost (`complexity`), which the plugin records in each field's extensions;
  // src/limits/cost.ts reads it there, before execution and by the contract's formula. The
  // plugin's own check (run in the root resolvers, by its own formula) stays off. A field that
  // declares nothing costs 1 plus its selection, a list (`edges`) too: only the fields that say so
  // (connections, `nodes`) multiply their selection. A declaration that is a function sees the
  // field's arguments only: the guard measures before the request's context exists.
  complexity: { disabled: true, defaultComplexity: 1, defaultListMultiplier: 1 },
  relay: {
    // node/nodes are defined in schema/node.ts: the contract's id rules (malformed → BAD_USER_INPUT,
    // another type's id → null) need more control than the plugin's defaults give.
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    clientMutationId: 'omit',
    cursorType: 'String',
    edgesFieldOptions: { description: 'The items of this page, each with its cursor.' },
    nodeFieldOptions: { description: 'The item.' },
    cursorFieldOptions: { description: 'Where this item sits: pass it as `after` to get the items that follow it.' },
    nodeTypeOptions: { description: 'An object with a global id, which `node(id:)` refetches.' },
    idFieldOptions: { description: 'Opaque global id: pass it back as it is; never parse it.' },
    pageInfoTypeOptions: { description: 'Where a page sits in its connection.' },
    pageInfoFieldOptions: { description: 'Where this page sits in the connection.' },
    hasNextPageFieldOptions: { description: 'True when more items follow this page: ask again with `after: endCursor`.' },
    hasPreviousPageFieldOptions: { description: 'True when this page started after a cursor.' },
    startCursorFieldOptions: { description: "The first edge's cursor; null on an empty page." },
    endCursorFieldOptions: { description: "The last edge's cursor, to pass as `after` for the next page; null on an empty page." },
  },
});

builder.queryType({ description: 'Everything that can be read.' });
builder.mutationType({ description: 'Everything that changes data. Every mutation but createUser and logIn needs a signed-in viewer.' });
builder.subscriptionType({
  description:
    'Events as they happen, over WebSocket (graphql-transport-ws) or SSE on the same /graphql. No sign-in needed; a token makes viewer fields right.',
});

/** ISO 8601 in UTC with milliseconds, e.g. 2026-01-31T12:00:00.000Z. */
builder.scalarType('DateTime', {
  description: 'A point in time: ISO 8601 in UTC with milliseconds, e.g. `2026-01-31T12:00:00.000Z`.',
  serialize: (value) => value.toISOString(),
  parseValue: (value) => parseDateTime(value),
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : null),
});

function parseDateTime(value: unknown): Date {
  const date = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) {
    throw new GraphQLError('DateTime must be an ISO 8601 string, e.g. 2026-01-31T12:00:00.000Z.', {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return date;
}

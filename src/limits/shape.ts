// Shape limits of one operation, from the counts of ./cost.ts (fragments expanded): aliases,
// directives, and how deep introspection goes. graphql's own MaxIntrospectionDepthRule (in its
// specified rules) already bounds list fan-out under __schema (fields → type → fields …); this
// bounds plain nesting (ofType chains) a little above what GraphiQL's introspection query needs.
import type { GraphQLError } from 'graphql';
import type { Config } from '../config.js';
import { overShapeLimit, queryTooDeep } from '../errors.js';
import type { Measurements } from './cost.js';

export function checkShape(measured: Measurements, limits: Config['limits']): GraphQLError | null {
  if (measured.aliases > limits.maxAliases) {
    return overShapeLimit(
      `The operation has ${measured.aliases} aliased fields (fragments expanded), over the limit of ${limits.maxAliases}.`,
      limits.maxAliases,
    );
  }
  if (measured.directives > limits.maxDirectives) {
    return overShapeLimit(
      `The operation has ${measured.directives} directives (fragments expanded), over the limit of ${limits.maxDirectives}.`,
      limits.maxDirectives,
    );
  }
  if (measured.introspectionDepth > limits.maxIntrospectionDepth) {
    return queryTooDeep(measured.introspectionDepth, limits.maxIntrospectionDepth, 'Introspection (__schema, __type)');
  }
  return null;
}

// Depth, with graphql-depth-limit: the contract counts the root field as level 1, that package as
// level 0, so it gets the limit − 1 (and the error, in the contract's terms, says the limit).
// Two traps of the package, handled by where it runs (./guard.ts): it follows fragment spreads
// without cycle checks, so it runs only on documents that passed graphql's own rules (a cycle is
// a validation error there, not a stack overflow here); and it re-walks a fragment at every
// spread, so it runs only after the cost check (./cost.ts, memoized) has bounded how many fields
// the operation expands to. It skips every __ field: introspection is bounded in ./shape.ts.
import depthLimit from 'graphql-depth-limit';
import {
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLError,
  type OperationDefinitionNode,
  type ValidationContext,
} from 'graphql';
import { queryTooDeep } from '../errors.js';

/** null when the operation is at most `limit` levels deep (the root field is level 1). */
export function checkDepth(
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  limit: number,
): GraphQLError | null {
  // Only the operation that runs: another one of the document is not this request's business.
  const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [operation, ...fragments.values()] };
  // The rule reads nothing of its ValidationContext but these two: graphql's validate() around it
  // would walk the whole document again with a TypeInfo, for nothing (half the guard's time).
  let isTooDeep = false;
  const context = { getDocument: () => document, reportError: () => void (isTooDeep = true) };
  depthLimit(limit - 1)(context as unknown as ValidationContext);
  return isTooDeep ? queryTooDeep(null, limit) : null;
}

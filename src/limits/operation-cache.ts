// What the guard learns of one operation of one document, kept for the next request that sends
// it (issue 13): the operation and its fragments, its compiled variable coercion, and its
// measurements (./cost.ts). yoga hands every request of the same text the same parsed document
// (its parse cache), so entries are keyed by that object, weakly: one lives as long as yoga keeps
// the document, and a flood of distinct documents costs nothing here once yoga lets them go.
//
// The walk reads variables only where a field's cost or a connection's first/after is computed
// from its arguments, and in @skip/@include. A walk that read none is the operation's, whatever
// the variables: it is kept and reused as is. Otherwise the measurements are a function of the
// variables it read, and are kept per their values (the same cursor of the same page, say).
import { getOperationAST, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { fragmentsOf } from '../operation/fragments.js';
import { measureOperation, type Measurements } from './cost.js';
import { compileCoercion, type CoercedVariables } from './variables.js';

/** @default 32 sets of values per operation whose measurements depend on its variables. */
const MAX_MEASURED_VALUES = 32;

export type OperationEntry = {
  operation: OperationDefinitionNode;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  /** The variables as the client sent them, coerced to their types (./variables.ts). */
  coerce(raw: Record<string, unknown> | null | undefined): CoercedVariables;
  /** The operation's measurements with these coerced variables. */
  measure(variables: Record<string, unknown>): Measurements;
};

export type OperationCache = {
  /** null: the document has no such operation (or several, and no name was given). */
  entryOf(document: DocumentNode, operationName: string | null | undefined): OperationEntry | null;
};

export function createOperationCache(schema: GraphQLSchema): OperationCache {
  const byDocument = new WeakMap<DocumentNode, Map<string, OperationEntry>>();
  return {
    entryOf(document, operationName) {
      let entries = byDocument.get(document);
      if (!entries) byDocument.set(document, (entries = new Map<string, OperationEntry>()));
      const name = operationName ?? '';
      let entry = entries.get(name);
      if (!entry) {
        const operation = getOperationAST(document, operationName ?? undefined);
        // Only names the document defines are kept: a client sending one document under ever
        // new operation names would otherwise grow its entry without bound.
        if (!operation) return null;
        entry = createEntry(schema, fragmentsOf(document), operation);
        entries.set(name, entry);
      }
      return entry;
    },
  };
}

function createEntry(
  schema: GraphQLSchema,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  operation: OperationDefinitionNode,
): OperationEntry {
  // undefined: not measured yet; then either the operation's own measurements, or the names of
  // the variables they depend on.
  let fixed: Measurements | undefined;
  let reads: string[] | undefined;
  const byValues = new Map<string, Measurements>();
  return {
    operation,
    fragments,
    coerce: compileCoercion(schema, operation),
    measure(variables) {
      if (fixed) return fixed;
      if (!reads) {
        const read = new Set<string>();
        const measured = measureOperation(schema, fragments, operation, recordingReads(variables, read));
        if (read.size === 0) fixed = measured;
        else reads = [...read];
        return measured;
      }
      // A value given is wrapped, one not given is [], so that null and absent stay apart.
      const key = JSON.stringify(reads.map((name) => (Object.hasOwn(variables, name) ? [variables[name]] : [])));
      let measured = byValues.get(key);
      if (!measured) {
        measured = measureOperation(schema, fragments, operation, variables);
        // First in, first out: a page walked with ever new cursors keeps only the latest few.
        if (byValues.size >= MAX_MEASURED_VALUES) byValues.delete(byValues.keys().next().value!);
        byValues.set(key, measured);
      }
      return measured;
    },
  };
}

/**
 * The variables, noting each name the walk looks up (graphql's getArgumentValues asks whether
 * the name is there, then reads it). Which names a walk reads does not depend on their values:
 * every argument of a costed field and every @skip/@include is evaluated (./cost.ts).
 */
function recordingReads(variables: Record<string, unknown>, read: Set<string>): Record<string, unknown> {
  const note = (name: string | symbol) => {
    if (typeof name === 'string') read.add(name);
  };
  return new Proxy(variables, {
    get: (target, name) => (note(name), Reflect.get(target, name) as unknown),
    has: (target, name) => (note(name), Reflect.has(target, name)),
    getOwnPropertyDescriptor: (target, name) => (note(name), Reflect.getOwnPropertyDescriptor(target, name)),
  });
}

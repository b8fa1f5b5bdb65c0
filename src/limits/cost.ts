// The cost of the operation actually run, by the contract's formula (../shared/api/README.md,
// "Limits"), from its document and its *coerced variables*: a field costs 1 plus the cost of its
// selection; a connection (a field with a `first` argument) multiplies the cost of its selection
// by its page size (first, else 20); `nodes(ids:)` by the number of ids. The same walk checks
// every connection's first/after, and counts what the shape guards bound (aliases, directives,
// introspection depth), so an operation is read once.
//
// Not a validation rule: those never see variables, and yoga caches their verdict per document.
// Fragments are measured once each (memoized by name), so a document whose fragments spread each
// other twice over, n levels deep, is measured in linear time; its cost comes out as 2^n and is
// refused. Two choices keep the walk simple and never under-priced: fields are counted as
// written (two selections of one field merged by GraphQL cost twice), and every fragment of a
// polymorphic selection counts (`... on User` and `... on Post` both). @skip/@include are applied.
// __typename costs 1 like any field; __schema and __type cost 1 whatever they select, as their
// selections are bounded by the introspection rules instead (./shape.ts).
import {
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  Kind,
  type DirectiveNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { InputProblem } from '../errors.js';
import { DEFAULT_PAGE_SIZE, pageProblems } from '../pagination/bounds.js';

export type Measurements = {
  cost: number;
  aliases: number;
  directives: number;
  /** Levels under the deepest __schema/__type, that field being level 1; 0 without introspection. */
  introspectionDepth: number;
  /** first/after problems of every connection, each distinct one once. */
  pageProblems: InputProblem[];
};

type Totals = { cost: number; aliases: number; directives: number; depth: number; introspectionDepth: number };

const NONE: Totals = { cost: 0, aliases: 0, directives: 0, depth: 0, introspectionDepth: 0 };
const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

/** `variables`: coerced (getVariableValues), as execution will see them. */
export function measureOperation(
  schema: GraphQLSchema,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): Measurements {
  const problems = new Map<string, InputProblem>();
  const measuredFragments = new Map<string, Totals>();

  const isSkipped = (node: { directives?: readonly DirectiveNode[] }): boolean =>
    !!node.directives?.length &&
    (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true ||
      getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if === false);

  const fieldOf = (type: GraphQLNamedType | undefined, name: string): GraphQLField<unknown, unknown> | undefined =>
    type && (isObjectType(type) || isInterfaceType(type)) ? type.getFields()[name] : undefined;

  function measureSelections(selectionSet: SelectionSetNode, parentType: GraphQLNamedType | undefined): Totals {
    const totals = { ...NONE };
    for (const selection of selectionSet.selections) {
      let part: Totals;
      if (selection.kind === Kind.FIELD) {
        part = measureField(selection, parentType);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parentType;
        part = measureSelections(selection.selectionSet, type ?? undefined);
        if (isSkipped(selection)) part = { ...NONE, aliases: part.aliases, directives: part.directives };
      } else {
        part = measureFragment(selection.name.value);
        if (isSkipped(selection)) part = { ...NONE, aliases: part.aliases, directives: part.directives };
      }
      totals.directives += selection.directives?.length ?? 0;
      totals.cost += part.cost;
      totals.aliases += part.aliases;
      totals.directives += part.directives;
      totals.depth = Math.max(totals.depth, part.depth);
      totals.introspectionDepth = Math.max(totals.introspectionDepth, part.introspectionDepth);
    }
    return totals;
  }

  function measureFragment(name: string): Totals {
    let totals = measuredFragments.get(name);
    if (!totals) {
      const fragment = fragments.get(name);
      // Validation has rejected unknown fragments and cycles: a missing one measures as nothing.
      totals = fragment ? measureSelections(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value) ?? undefined) : NONE;
      measuredFragments.set(name, totals);
    }
    return totals;
  }

  function measureField(node: FieldNode, parentType: GraphQLNamedType | undefined): Totals {
    const field = fieldOf(parentType, node.name.value);
    const child = node.selectionSet ? measureSelections(node.selectionSet, field ? getNamedType(field.type) : undefined) : NONE;
    const own = { aliases: child.aliases + (node.alias ? 1 : 0), directives: child.directives, depth: child.depth + 1 };
    if (isSkipped(node)) return { ...NONE, aliases: own.aliases, directives: own.directives };
    if (INTROSPECTION_ROOTS.has(node.name.value)) {
      return { ...own, cost: 1, introspectionDepth: child.depth + 1 };
    }
    return { ...own, cost: 1 + multiplierOf(field, node) * child.cost, introspectionDepth: child.introspectionDepth };
  }

  function multiplierOf(field: GraphQLField<unknown, unknown> | undefined, node: FieldNode): number {
    if (!field || !field.args.some((arg) => arg.name === 'first' || arg.name === 'ids')) return 1;
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(field, node, variables);
    } catch {
      return 1; // execution reports the argument error itself, before any resolver runs
    }
    if (field.args.some((arg) => arg.name === 'first')) {
      const page = { first: args.first as number | null | undefined, after: args.after as string | null | undefined };
      for (const problem of pageProblems(page)) problems.set(`${problem.field}\n${problem.message}`, problem);
      return Math.max(0, page.first ?? DEFAULT_PAGE_SIZE);
    }
    const idsArg = field.args.find((arg) => arg.name === 'ids')!;
    const isList = isListType(isNonNullType(idsArg.type) ? idsArg.type.ofType : idsArg.type);
    return isList && Array.isArray(args.ids) ? args.ids.length : 1;
  }

  const totals = measureSelections(operation.selectionSet, schema.getRootType(operation.operation) ?? undefined);
  return {
    cost: Math.min(totals.cost, Number.MAX_SAFE_INTEGER),
    aliases: totals.aliases,
    directives: totals.directives,
    introspectionDepth: totals.introspectionDepth,
    pageProblems: [...problems.values()],
  };
}

// The cost and depth of the operation actually run, by the contract's rules (../shared/api/README.md,
// "Limits"), from its document and its *coerced variables*, in one walk: a field costs what it
// declares (./field-cost.ts; by default 1 plus the cost of its selection), a connection multiplies
// the cost of its selection by its page size (first, else 20), `nodes(ids:)` by the number of ids.
// The same walk checks every connection's first/after, and counts what the shape guards bound
// (aliases, directives, introspection depth), so an operation is read once.
//
// Not a validation rule: those never see variables, and yoga caches their verdict per document.
// Fragments are measured once each (memoized by name), so a document whose fragments spread each
// other twice over, n levels deep, is measured in linear time; its cost comes out as 2^n and is
// refused. Two choices keep the walk simple and never under-priced: fields are counted as
// written (two selections of one field merged by GraphQL cost twice), and every fragment of a
// polymorphic selection counts (`... on User` and `... on Post` both). @skip/@include are applied.
// __typename costs 1 like any field; __schema and __type cost 1 whatever they select, as their
// selections are bounded by the introspection rules instead (./shape.ts).
//
// Depth is the contract's: the root field is level 1, every field on the path one more, @skip and
// @include are not applied (a skipped field is as deep as written), and nothing under a __ field
// counts (introspection has its own limit). It is the rule graphql-depth-limit applied.
import {
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isInterfaceType,
  isObjectType,
  Kind,
  type DirectiveNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import type { InputProblem } from '../errors.js';
import { pageCost, pageProblems } from '../pagination/bounds.js';
import { costDeclarationOf, DEFAULT_FIELD_COST, evaluateCost, type FieldCost } from './field-cost.js';

export type Measurements = {
  cost: number;
  /** Levels of the operation, the root field being level 1 (the contract's depth). */
  depth: number;
  aliases: number;
  directives: number;
  /** Levels under the deepest __schema/__type, that field being level 1; 0 without introspection. */
  introspectionDepth: number;
  /** first/after problems of every connection, each distinct one once. */
  pageProblems: InputProblem[];
};

type Totals = {
  cost: number;
  depth: number;
  aliases: number;
  directives: number;
  /** Levels of the fields that run (@skip/@include applied), __ fields' selections included. */
  nesting: number;
  introspectionDepth: number;
};

/** One operation's walk: its inputs, the fragments measured so far and the problems found. */
type Walk = {
  schema: GraphQLSchema;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  measuredFragments: Map<string, Totals>;
  problems: Map<string, InputProblem>;
};

type Field = GraphQLField<unknown, unknown, Record<string, unknown>>;

const NONE: Totals = { cost: 0, depth: 0, aliases: 0, directives: 0, nesting: 0, introspectionDepth: 0 };
const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

/** `variables`: coerced (getVariableValues), as execution will see them. */
export function measureOperation(
  schema: GraphQLSchema,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): Measurements {
  const walk: Walk = { schema, fragments, variables, measuredFragments: new Map(), problems: new Map() };
  const totals = measureSelections(walk, operation.selectionSet, schema.getRootType(operation.operation) ?? undefined);
  return {
    cost: Math.min(totals.cost, Number.MAX_SAFE_INTEGER),
    depth: totals.depth,
    aliases: totals.aliases,
    directives: totals.directives,
    introspectionDepth: totals.introspectionDepth,
    pageProblems: [...walk.problems.values()],
  };
}

function measureSelections(walk: Walk, selectionSet: SelectionSetNode, parentType: GraphQLNamedType | undefined): Totals {
  const totals = { ...NONE };
  for (const selection of selectionSet.selections) {
    const part = measureSelection(walk, selection, parentType);
    totals.cost += part.cost;
    totals.aliases += part.aliases;
    totals.directives += part.directives + (selection.directives?.length ?? 0);
    totals.depth = Math.max(totals.depth, part.depth);
    totals.nesting = Math.max(totals.nesting, part.nesting);
    totals.introspectionDepth = Math.max(totals.introspectionDepth, part.introspectionDepth);
  }
  return totals;
}

function measureSelection(walk: Walk, selection: SelectionNode, parentType: GraphQLNamedType | undefined): Totals {
  if (selection.kind === Kind.FIELD) return measureField(walk, selection, parentType);
  const part =
    selection.kind === Kind.INLINE_FRAGMENT
      ? measureSelections(
          walk,
          selection.selectionSet,
          selection.typeCondition ? typeNamed(walk, selection.typeCondition.name.value) : parentType,
        )
      : measureFragment(walk, selection.name.value);
  return isSkipped(walk, selection) ? skipped(part) : part;
}

function measureFragment(walk: Walk, name: string): Totals {
  let totals = walk.measuredFragments.get(name);
  if (!totals) {
    const fragment = walk.fragments.get(name);
    // Validation has rejected unknown fragments and cycles: a missing one measures as nothing.
    totals = fragment ? measureSelections(walk, fragment.selectionSet, typeNamed(walk, fragment.typeCondition.name.value)) : NONE;
    walk.measuredFragments.set(name, totals);
  }
  return totals;
}

function measureField(walk: Walk, node: FieldNode, parentType: GraphQLNamedType | undefined): Totals {
  const name = node.name.value;
  const field = fieldOf(parentType, name);
  const child = node.selectionSet ? measureSelections(walk, node.selectionSet, field ? getNamedType(field.type) : undefined) : NONE;
  const own = {
    depth: 1 + (name.startsWith('__') ? 0 : child.depth),
    aliases: child.aliases + (node.alias ? 1 : 0),
    directives: child.directives,
    nesting: child.nesting + 1,
  };
  if (isSkipped(walk, node)) return skipped({ ...NONE, ...own });
  if (INTROSPECTION_ROOTS.has(name)) return { ...own, cost: 1, introspectionDepth: own.nesting };
  const cost = field ? costOf(walk, field, node) : DEFAULT_FIELD_COST;
  return { ...own, cost: cost.field + Math.max(0, cost.multiplier) * child.cost, introspectionDepth: child.introspectionDepth };
}

/**
 * The field's declared cost, with its arguments; first/after of a connection (a field that declares
 * pageCost) checked on the way.
 */
function costOf(walk: Walk, field: Field, node: FieldNode): FieldCost {
  const declaration = costDeclarationOf(field);
  const isConnection = declaration === pageCost;
  if (typeof declaration !== 'function' && !isConnection) return evaluateCost(declaration, field, null);
  const args = argumentsOf(walk, field, node);
  if (args && isConnection) {
    const page = { first: args.first as number | null | undefined, after: args.after as string | null | undefined };
    for (const problem of pageProblems(page)) walk.problems.set(`${problem.field}\n${problem.message}`, problem);
  }
  return evaluateCost(declaration, field, args);
}

/** null when they do not coerce: execution reports the argument error itself, before any resolver runs. */
function argumentsOf(walk: Walk, field: Field, node: FieldNode): Record<string, unknown> | null {
  try {
    return getArgumentValues(field, node, walk.variables);
  } catch {
    // Every variable of the arguments still counts as read, as it would have without the throw:
    // which variables a walk reads must not depend on their values (./operation-cache.ts).
    for (const argument of node.arguments ?? []) readVariablesOf(walk, argument.value);
    return null;
  }
}

function readVariablesOf(walk: Walk, value: ValueNode): void {
  if (value.kind === Kind.VARIABLE) Reflect.get(walk.variables, value.name.value);
  else if (value.kind === Kind.LIST) for (const item of value.values) readVariablesOf(walk, item);
  else if (value.kind === Kind.OBJECT) for (const field of value.fields) readVariablesOf(walk, field.value);
}

/** What a skipped selection still counts: its aliases and directives, and its depth as written. */
function skipped(part: Totals): Totals {
  return { ...NONE, aliases: part.aliases, directives: part.directives, depth: part.depth };
}

/** Both directives are read, whatever the first says: which variables a walk reads must not depend on their values (./operation-cache.ts). */
function isSkipped(walk: Walk, node: { directives?: readonly DirectiveNode[] }): boolean {
  if (!node.directives?.length) return false;
  const skip = getDirectiveValues(GraphQLSkipDirective, node, walk.variables)?.if === true;
  const include = getDirectiveValues(GraphQLIncludeDirective, node, walk.variables)?.if !== false;
  return skip || !include;
}

function fieldOf(type: GraphQLNamedType | undefined, name: string): Field | undefined {
  return type && (isObjectType(type) || isInterfaceType(type)) ? type.getFields()[name] : undefined;
}

function typeNamed(walk: Walk, name: string): GraphQLNamedType | undefined {
  return walk.schema.getType(name) ?? undefined;
}

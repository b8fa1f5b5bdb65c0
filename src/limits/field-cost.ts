// A field's cost, as it declares it: `complexity` on the field (schema/builder.ts registers the
// Pothos complexity plugin, which records the declaration in the field's extensions). A list field
// added later multiplies its selection by what its own declaration says, not by a guess from the
// names of its arguments.
import type { FieldComplexity } from '@pothos/plugin-complexity';
import type { GraphQLField } from 'graphql';

/** What a field adds (`field`), and what its selection's cost is multiplied by. */
export type FieldCost = { field: number; multiplier: number };

/** The contract's cost of a field that declares nothing: 1 plus the cost of its selection. */
export const DEFAULT_FIELD_COST: FieldCost = { field: 1, multiplier: 1 };

type Declaration = FieldComplexity<unknown, Record<string, unknown>>;

/** The field's declaration, if it has one. */
export function costDeclarationOf(field: GraphQLField<unknown, unknown>): Declaration | undefined {
  const declared: unknown = field.extensions.complexity;
  return isDeclaration(declared) ? declared : undefined;
}

/**
 * The declaration evaluated. A function sees the field's coerced arguments only (the guard runs
 * before the request's context exists); `args` null means they could not be read (execution
 * reports that itself), and the field then costs the default.
 */
export function evaluateCost(
  declaration: Declaration | undefined,
  field: GraphQLField<unknown, unknown, Record<string, unknown>>,
  args: Record<string, unknown> | null,
): FieldCost {
  if (declaration === undefined) return DEFAULT_FIELD_COST;
  if (typeof declaration === 'function') {
    return args === null ? DEFAULT_FIELD_COST : evaluateCost(declaration(args, undefined, field), field, args);
  }
  if (typeof declaration === 'number') return { field: declaration, multiplier: 1 };
  return { field: declaration.field ?? 1, multiplier: declaration.multiplier ?? 1 };
}

function isDeclaration(value: unknown): value is Declaration {
  return typeof value === 'number' || typeof value === 'function' || (typeof value === 'object' && value !== null);
}

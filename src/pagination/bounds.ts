// The contract's page-size bounds and the first/after check, shared by the schema's resolvers and
// the guard that checks every connection of an operation before it runs (src/limits/cost.ts).
// Kept apart from src/schema/ so that the guard does not build the schema to read two numbers.
import type { InputProblem } from '../errors.js';
import { decodeCursor } from './cursor.js';

/** @default 20 items when `first` is absent; the contract bounds it to 1..100. */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export type RawPageArgs = { first?: number | null; after?: string | null };

/**
 * The cost every connection declares (schema/pagination.ts): its selection times the page size
 * (`first`, or 20). Declaring it is also what makes a field a connection for the guard, which then
 * checks its first/after before execution (src/limits/cost.ts).
 */
export const pageCost = (args: RawPageArgs) => ({ field: 1, multiplier: args.first ?? DEFAULT_PAGE_SIZE });

/** What is wrong with first/after, if anything. */
export function pageProblems(args: RawPageArgs): InputProblem[] {
  const problems: InputProblem[] = [];
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (first < 1 || first > MAX_PAGE_SIZE) {
    problems.push({ field: 'first', message: `first must be between 1 and ${MAX_PAGE_SIZE} (got ${first}).` });
  }
  if (args.after != null && decodeCursor(args.after) === undefined) {
    problems.push({ field: 'after', message: "after is not a cursor this API gave out: pass a previous page's endCursor as it is." });
  }
  return problems;
}

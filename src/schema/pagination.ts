// first/after arguments and the connection they answer, shared by every connection (a nested
// connection's resolver: schema/child-pages.ts).
import { badUserInput, type InputProblem } from '../errors.js';
import type { Keyset, Order, Page, PageArgs } from '../model/keyset.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, pageProblems, type RawPageArgs } from '../pagination/bounds.js';
import { decodeCursor, encodeCursor } from '../pagination/cursor.js';
import { builder } from './builder.js';

/** The contract's page arguments, the same on every connection. */
export const pageArgs = builder.args((t) => ({
  first: t.int({ description: `How many items, 1–${MAX_PAGE_SIZE}; ${DEFAULT_PAGE_SIZE} when absent.` }),
  after: t.string({ description: "Start after this cursor: a previous page's `endCursor`." }),
}));

/** A connection field's page arguments as it receives them: `order` only where the client picks it. */
export type FieldPageArgs = RawPageArgs & { order?: Order | null };

/**
 * Checks first/after and decodes the cursor. Every problem is reported at once, with those the
 * caller found in the field's other arguments. The guard (src/limits/cost.ts) has checked every
 * connection of the operation before execution, so this is a second line. `order` is the
 * connection's own, unless the field lets its client pick one (`args.order`; null picks none).
 */
export function readPage(args: FieldPageArgs, order: Order, otherProblems: InputProblem[] = []): PageArgs {
  const problems = [...otherProblems, ...pageProblems(args)];
  if (problems.length > 0) throw badUserInput(problems);
  return {
    first: args.first ?? DEFAULT_PAGE_SIZE,
    after: args.after == null ? null : decodeCursor(args.after)!,
    order: args.order ?? order,
  };
}

export type Connection<T> = {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
};

export function toConnection<T>(page: Page<T>, keysetOf: (row: T) => Keyset): Connection<T> {
  const edges = page.rows.map((node) => ({ cursor: encodeCursor(keysetOf(node)), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/** Most rows page on their own (created_at, id). */
export const byCreation = (row: { createdAt: Date; id: number }): Keyset => ({ at: row.createdAt, id: row.id });

// first/after arguments, the cursor codec and page-size bounds, shared by every connection.
import type DataLoader from 'dataloader';
import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../context.js';
import { badUserInput, type InputProblem } from '../errors.js';
import type { PageKey } from '../loaders/pages.js';
import type { Keyset, Page, PageArgs } from '../model/keyset.js';
import { builder } from './builder.js';
import { rowShapeOf, type RowType } from './selection.js';

/** @default 20 items when `first` is absent; the contract bounds it to 1..100. */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** The contract's page arguments, the same on every connection. */
export const pageArgs = builder.args((t) => ({
  first: t.int({ description: `How many items, 1–${MAX_PAGE_SIZE}; ${DEFAULT_PAGE_SIZE} when absent.` }),
  after: t.string({ description: "Start after this cursor: a previous page's `endCursor`." }),
}));

type RawPageArgs = { first?: number | null; after?: string | null };

/**
 * Checks first/after and decodes the cursor. Every problem is reported at once, with those the
 * caller found in the field's other arguments.
 */
export function readPage(args: RawPageArgs, otherProblems: InputProblem[] = []): PageArgs {
  const problems = [...otherProblems, ...pageProblems(args)];
  if (problems.length > 0) throw badUserInput(problems);
  return { first: args.first ?? DEFAULT_PAGE_SIZE, after: args.after == null ? null : decodeCursor(args.after)! };
}

/**
 * What is wrong with first/after, if anything. The guard (src/limits/cost.ts) asks it for every
 * connection of an operation before execution, so readPage's own check is a second line.
 */
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

// A cursor is base64url("<epoch ms>:<id>"): opaque to clients, exact to the millisecond we store.
export function encodeCursor({ at, id }: Keyset): string {
  return Buffer.from(`${at.getTime()}:${id}`).toString('base64url');
}

/** undefined when the text is not a cursor this server could have made. */
export function decodeCursor(cursor: string): Keyset | undefined {
  if (cursor.length > 64) return undefined;
  const match = /^(\d{1,15}):(\d{1,10})$/.exec(Buffer.from(cursor, 'base64url').toString('latin1'));
  if (!match) return undefined;
  const keyset = { at: new Date(Number(match[1])), id: Number(match[2]) };
  // Only the canonical spelling: padding, stray characters or a lookalike are not cursors.
  if (keyset.id > 2_147_483_647 || encodeCursor(keyset) !== cursor) return undefined;
  return keyset;
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

/**
 * The resolver of a nested connection: the parent's page, from a loader that fetches the pages
 * of every parent of the request at once.
 */
export function childPages<T>(
  loaderOf: (ctx: Context) => DataLoader<PageKey, Page<T>, string>,
  type: RowType,
  keysetOf: (row: T) => Keyset,
) {
  return async (parent: { id: number }, args: RawPageArgs, ctx: Context, info: GraphQLResolveInfo): Promise<Connection<T>> =>
    toConnection(await loaderOf(ctx).load({ parentId: parent.id, ...readPage(args), shape: rowShapeOf(ctx, info, type) }), keysetOf);
}

/** Most rows page on their own (created_at, id). */
export const byCreation = (row: { createdAt: Date; id: number }): Keyset => ({ at: row.createdAt, id: row.id });

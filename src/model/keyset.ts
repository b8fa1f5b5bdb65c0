// Keyset pagination shared by every connection: pages are (created_at, id) seeks on an index
// in the same order, never OFFSET, so page 500 costs what page 1 costs and rows inserted while
// a client walks the pages neither repeat nor hide older ones.
import { sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

/** A position in a (created_at, id) order: the last row a client has seen. */
export type Keyset = { at: Date; id: number };

/**
 * Which way a page walks its connection's (created_at, id) order. Every connection has one (a
 * post's comments are oldest first, the rest newest first); a list of posts lets its client pick.
 */
export type Order = 'newest-first' | 'oldest-first';

export type PageArgs = { first: number; after: Keyset | null; order: Order };

export type Page<T> = { rows: T[]; hasNextPage: boolean; hasPreviousPage: boolean };

/**
 * Rows strictly after the cursor, if the page has one (`PageSql`), in the page's order (a row
 * comparison the index can seek to), for a prepared read (db/prepared.ts): the cursor's values
 * are the placeholders of pageValues. A cursor carries no order: taken from a page in the other
 * order, it still means "after that row", in this one.
 */
export function afterKeyset(at: PgColumn | SQL, id: PgColumn | SQL, page: PageSql): SQL {
  if (!page.hasCursor) return sql`true`;
  const position = sql`(${sql.placeholder(`${page.slot}afterAt`)}::timestamptz, ${sql.placeholder(`${page.slot}afterId`)}::int)`;
  return page.order === 'newest-first' ? sql`(${at}, ${id}) < ${position}` : sql`(${at}, ${id}) > ${position}`;
}

/**
 * ORDER BY the page's order. Both columns go the same way, so a (created_at desc, id desc) index
 * serves either order: oldest first, Postgres walks it backwards.
 */
export function keysetOrder(at: PgColumn | SQL, id: PgColumn | SQL, page: PageSql): SQL {
  return page.order === 'newest-first' ? sql`${at} desc, ${id} desc` : sql`${at} asc, ${id} asc`;
}

/** The placeholders of a page: its cursor (afterKeyset) and its LIMIT, first + 1 (see toPage). */
export const pageValues = ({ first, after }: PageArgs, slot = '') => ({
  [`${slot}limit`]: first + 1,
  [`${slot}afterAt`]: after?.at.toISOString(),
  [`${slot}afterId`]: after?.id,
});

/**
 * What of a page shapes its text: whether it starts after a cursor, its order, and the prefix of
 * its placeholders (`slot`): '' but where one statement reads several pages, each with its own
 * first/after (model/child-pages.ts).
 */
export type PageSql = { hasCursor: boolean; order: Order; slot: string };
export const pageSql = ({ after, order }: PageArgs, slot = ''): PageSql => ({ hasCursor: after !== null, order, slot });

/** LIMIT first + 1, from pageValues. */
export const pageLimit = (page: PageSql) => sql.placeholder(`${page.slot}limit`);

/** Rows are fetched with LIMIT first + 1: the extra row only says that another page exists. */
export function toPage<T>(rows: T[], args: PageArgs): Page<T> {
  return {
    rows: rows.slice(0, args.first),
    hasNextPage: rows.length > args.first,
    // A page that starts after a cursor has at least that cursor's row before it.
    hasPreviousPage: args.after !== null,
  };
}

/**
 * `column = any($ids)`: one array parameter, so the statement text is the same for any count.
 * The ids are the `ids` placeholder of a prepared read.
 */
export const inIds = (column: PgColumn): SQL => sql`${column} = any(${sql.placeholder('ids')}::int[])`;

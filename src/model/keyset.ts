// Keyset pagination shared by every connection: pages are (created_at, id) seeks on an index
// in the same order, never OFFSET, so page 500 costs what page 1 costs and rows inserted while
// a client walks the pages neither repeat nor hide older ones.
import { sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Subquery } from 'drizzle-orm';
import type { Db } from '../db/client.js';

/** A position in a (created_at, id) order: the last row a client has seen. */
export type Keyset = { at: Date; id: number };

export type PageArgs = { first: number; after: Keyset | null };

export type Page<T> = { rows: T[]; hasNextPage: boolean; hasPreviousPage: boolean };

type Order = 'newest-first' | 'oldest-first';

/** Rows strictly after `after` in the given order (a row comparison the index can seek to). */
export function afterKeyset(at: PgColumn | SQL, id: PgColumn | SQL, after: Keyset | null, order: Order): SQL {
  if (!after) return sql`true`;
  const position = sql`(${after.at.toISOString()}::timestamptz, ${after.id}::int)`;
  return order === 'newest-first' ? sql`(${at}, ${id}) < ${position}` : sql`(${at}, ${id}) > ${position}`;
}

/** Rows are fetched with LIMIT first + 1: the extra row only says that another page exists. */
export function toPage<T>(rows: T[], args: PageArgs): Page<T> {
  return {
    rows: rows.slice(0, args.first),
    hasNextPage: rows.length > args.first,
    // A page that starts after a cursor has at least that cursor's row before it.
    hasPreviousPage: args.after !== null,
  };
}

/** The `parent.id` of a lateralPages query, for the inner query's WHERE. */
export const lateralParentId = sql<number>`parent.id`;

/**
 * One statement for many parents: `unnest(parentIds) CROSS JOIN LATERAL (inner … LIMIT n)`.
 * The inner query refers to `lateralParentId` and carries its own LIMIT, so each parent's page
 * is a real index seek, never "read every child and slice".
 */
export async function lateralPages<T extends Record<string, unknown>>(
  db: Db,
  parentIds: readonly number[],
  inner: Subquery,
): Promise<Map<number, T[]>> {
  // Select the subquery's columns one by one: drizzle renders a whole subquery as a scalar.
  const columns = inner as unknown as Record<string, SQL>;
  const fields = Object.fromEntries(Object.keys(inner._.selectedFields).map((key) => [key, columns[key]!]));
  const rows = (await db
    .select({ parentId: lateralParentId, ...fields })
    .from(sql`unnest(${sql.param(parentIds)}::int[]) as parent(id)`)
    .innerJoinLateral(inner as never, sql`true`)) as unknown as (T & { parentId: number })[];
  const byParent = new Map<number, T[]>();
  for (const { parentId, ...row } of rows) {
    const list = byParent.get(parentId) ?? [];
    list.push(row as unknown as T);
    byParent.set(parentId, list);
  }
  return byParent;
}

/** `column = any($ids)`: one array parameter, so the statement text is the same for any count. */
export const inIds = (column: PgColumn, ids: readonly number[]): SQL => sql`${column} = any(${sql.param(ids)}::int[])`;

/** How many rows each id has, in one grouped statement; ids with none are absent (count 0). */
export async function countGroupedBy(db: Db, column: PgColumn, ids: readonly number[]): Promise<Map<number, number>> {
  const rows = await db
    .select({ id: column, count: sql<number>`count(*)::int` })
    .from(column.table)
    .where(inIds(column, ids))
    .groupBy(column);
  return new Map(rows.map((row) => [row.id as number, row.count]));
}

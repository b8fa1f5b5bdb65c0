// Keyset pagination shared by every connection: pages are (created_at, id) seeks on an index
// in the same order, never OFFSET, so page 500 costs what page 1 costs and rows inserted while
// a client walks the pages neither repeat nor hide older ones.
import { getTableName, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Subquery } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { prepared } from '../db/prepared.js';

/** A position in a (created_at, id) order: the last row a client has seen. */
export type Keyset = { at: Date; id: number };

export type PageArgs = { first: number; after: Keyset | null };

export type Page<T> = { rows: T[]; hasNextPage: boolean; hasPreviousPage: boolean };

type Order = 'newest-first' | 'oldest-first';

/**
 * Rows strictly after the cursor in the given order (a row comparison the index can seek to), for
 * a prepared read (db/prepared.ts): the cursor's values are the placeholders of pageValues.
 */
export function afterKeyset(at: PgColumn | SQL, id: PgColumn | SQL, after: Keyset | null, order: Order): SQL {
  if (!after) return sql`true`;
  const position = sql`(${sql.placeholder('afterAt')}::timestamptz, ${sql.placeholder('afterId')}::int)`;
  return order === 'newest-first' ? sql`(${at}, ${id}) < ${position}` : sql`(${at}, ${id}) > ${position}`;
}

/** The placeholders of a page: its cursor (afterKeyset) and its LIMIT, first + 1 (see toPage). */
export const pageValues = ({ first, after }: PageArgs) => ({ limit: first + 1, afterAt: after?.at.toISOString(), afterId: after?.id });

/** What of a page changes its text: whether it starts after a cursor. */
export const pageKey = ({ after }: PageArgs) => (after ? 'after' : 'first');

/** LIMIT first + 1, from pageValues. */
export const pageLimit = sql.placeholder('limit');

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
 * is a real index seek, never "read every child and slice". Prepared under `key` (see
 * db/prepared.ts): `inner` is built once, and `values` fill its placeholders.
 */
export async function lateralPages<T extends Record<string, unknown>>(
  db: Db,
  key: string,
  parentIds: readonly number[],
  inner: () => Subquery,
  values: Record<string, unknown>,
): Promise<Map<number, T[]>> {
  const read = prepared(db, `lateral:${key}`, () => {
    const page = inner();
    // Select the subquery's columns one by one: drizzle renders a whole subquery as a scalar.
    const columns = page as unknown as Record<string, SQL>;
    const fields = Object.fromEntries(Object.keys(page._.selectedFields).map((name) => [name, columns[name]!]));
    return db
      .select({ parentId: lateralParentId, ...fields })
      .from(sql`unnest(${sql.placeholder('parentIds')}::int[]) as parent(id)`)
      .innerJoinLateral(page as never, sql`true`);
  });
  const rows = (await read.execute({ ...values, parentIds })) as unknown as (T & { parentId: number })[];
  const byParent = new Map<number, T[]>();
  for (const { parentId, ...row } of rows) {
    const list = byParent.get(parentId) ?? [];
    list.push(row as unknown as T);
    byParent.set(parentId, list);
  }
  return byParent;
}

/**
 * `column = any($ids)`: one array parameter, so the statement text is the same for any count.
 * The ids are the `ids` placeholder of a prepared read.
 */
export const inIds = (column: PgColumn): SQL => sql`${column} = any(${sql.placeholder('ids')}::int[])`;

/** How many rows each id has, in one grouped statement; ids with none are absent (count 0). */
export async function countGroupedBy(db: Db, column: PgColumn, ids: readonly number[]): Promise<Map<number, number>> {
  const read = prepared(db, `count:${getTableName(column.table)}.${column.name}`, () =>
    db
      .select({ id: column, count: sql<number>`count(*)::int` })
      .from(column.table)
      .where(inIds(column))
      .groupBy(column),
  );
  const rows = await read.execute({ ids });
  return new Map(rows.map((row) => [row.id as number, row.count]));
}

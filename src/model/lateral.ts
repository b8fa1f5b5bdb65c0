// Pages of many parents in one statement (a post's comments, a user's posts or followers…).
import { sql, type SQL, type Subquery } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { preparedRead, type PreparedRead, type SqlShape } from '../db/prepared.js';

/** The `parent.id` of a lateralPages query, for the inner query's WHERE. */
export const lateralParentId = sql<number>`parent.id`;

/**
 * One statement for many parents: `unnest(parentIds) CROSS JOIN LATERAL (inner … LIMIT n)`.
 * The inner query refers to `lateralParentId` and carries its own LIMIT, so each parent's page
 * is a real index seek, never "read every child and slice". A prepared read (db/prepared.ts):
 * `inner` is built once per shape, and lateralPages' `values` fill its placeholders.
 */
export function lateralRead<S extends SqlShape>(inner: (db: Db, shape: S) => Subquery) {
  return preparedRead((db, shape: S) => {
    const page = inner(db, shape);
    // Select the subquery's columns one by one: drizzle renders a whole subquery as a scalar.
    // Under `row`, so that the mapper makes each row apart from its parent's id (db/row-mapper.ts).
    const columns = page as Subquery & Record<string, SQL>;
    const row = Object.fromEntries(Object.keys(page._.selectedFields).map((name) => [name, columns[name]!]));
    return db
      .select({ parentId: lateralParentId, row })
      .from(sql`unnest(${sql.placeholder('parentIds')}::int[]) as parent(id)`)
      .innerJoinLateral(page as never, sql`true`);
  });
}

/** Runs a lateralRead for these parents: each parent's rows, in the inner query's order. */
export async function lateralPages<T>(
  read: PreparedRead<{ parentId: number; row: Record<string, unknown> }[]>,
  parentIds: readonly number[],
  values: Record<string, unknown>,
): Promise<Map<number, T[]>> {
  const rows = await read.execute({ ...values, parentIds });
  const byParent = new Map<number, T[]>();
  for (const { parentId, row } of rows) {
    const list = byParent.get(parentId);
    if (list) list.push(row as T);
    else byParent.set(parentId, [row as T]);
  }
  return byParent;
}

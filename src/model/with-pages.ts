// Users or posts by id carrying what a selection asks of them: derived values and a post's author
// (model/derived.ts), and pages of their connections (model/child-pages.ts), in one statement.
import { eq, getTableColumns, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { preparedRead } from '../db/prepared.js';
import { posts, users } from '../db/schema.js';
import { childPageColumns, childPageSql, childPageValues, splitChildPages, type ChildPage, type ChildPageSql } from './child-pages.js';
import { authorColumns, derivedColumns, derivedValues, shapeSql, type RowShape, type ShapeSql } from './derived.js';
import { lateralParentId } from './lateral.js';

const PARENTS = { users, posts } as const;
export type ParentTable = keyof typeof PARENTS;

type WithPagesSql = { parent: ParentTable; shape: ShapeSql; pages: readonly ChildPageSql[] };

// The parent's id is `parent.id`, as in a LATERAL read of many parents: the pages' subqueries
// are the same, and a page of users (followers) joins a `users` of its own.
const withPagesRead = preparedRead((db, { parent, shape, pages }: WithPagesSql) => {
  // Either table: what is read of it is its id and what getTableColumns gives.
  const table = PARENTS[parent] as typeof users;
  const query = db
    .select({
      ...getTableColumns(table),
      ...derivedColumns(table.id, shape.derived),
      ...(shape.author ? authorColumns(shape.author) : {}),
      ...childPageColumns(db, pages),
    })
    .from(sql`unnest(${sql.placeholder('ids')}::int[]) as parent(id)`)
    .innerJoin(table, eq(table.id, lateralParentId))
    .$dynamic();
  // Only a post has an author (selection.ts asks for none of a user).
  return shape.author ? query.innerJoin(users, eq(users.id, posts.authorId)) : query;
});

/** A row and the rows of each page asked for, in the order asked. */
export type WithPages<T> = { row: T; pages: object[][] };

/** Rows of `parent` by id (missing ids are absent), each with what `shape` carries and the pages asked for. */
export async function byIdsWithPages<T>(
  db: Db,
  parent: ParentTable,
  ids: readonly number[],
  shape: RowShape,
  pages: readonly ChildPage[],
): Promise<WithPages<T>[]> {
  const text: WithPagesSql = { parent, shape: shapeSql(shape), pages: childPageSql(pages) };
  const rows = await withPagesRead(db, text).execute({ ids, ...derivedValues(shape), ...childPageValues(pages) });
  return rows.map((read) => {
    const { row, pages: rowsOfPages } = splitChildPages(db, read, text.pages);
    // With an author, the row carries it nested (authorColumns).
    return { row: row as T, pages: rowsOfPages };
  });
}

// All SQL about comments.
import { and, eq, getTableColumns } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { comments, posts, users, type CommentRow } from '../db/schema.js';
import { notFound, unauthenticated } from '../errors.js';
import { isForeignKeyViolation } from './constraint.js';
import { preparedRead } from '../db/prepared.js';
import { authorColumns, derivedSql, derivedValues, PLAIN_ROWS, type AuthorNested, type DerivedSql, type RowShape } from './derived.js';
import { afterKeyset, inIds, keysetOrder, pageLimit, pageSql, pageValues, type PageArgs, type PageSql } from './keyset.js';
import { lateralPages, lateralParentId, lateralRead } from './lateral.js';

const byIdsRead = preparedRead((db) => db.select().from(comments).where(inIds(comments.id)));

export function commentsByIds(db: Db, ids: readonly number[]): Promise<CommentRow[]> {
  return byIdsRead(db, {}).execute({ ids });
}

export async function createComment(db: Db, comment: { postId: number; authorId: number; body: string }): Promise<CommentRow> {
  try {
    const [row] = await db.insert(comments).values(comment).returning();
    return row!;
  } catch (error) {
    // The author deleted their account while this request was under way.
    if (isForeignKeyViolation(error, 'comments_author_id_users_id_fk'))
      throw unauthenticated('The account of this token no longer exists.');
    if (isForeignKeyViolation(error, 'comments_post_id_posts_id_fk')) throw notFound('The post');
    throw error;
  }
}

/** The comment (locked for deletion) and who wrote the post it replies to; null when there is none. */
export async function commentForDelete(db: Db, id: number): Promise<{ comment: CommentRow; postAuthorId: number } | null> {
  const [row] = await db
    .select({ comment: comments, postAuthorId: posts.authorId })
    .from(comments)
    .innerJoin(posts, eq(posts.id, comments.postId))
    .where(eq(comments.id, id))
    .for('update', { of: comments });
  return row ?? null;
}

export async function deleteComment(db: Db, id: number): Promise<boolean> {
  const rows = await db.delete(comments).where(eq(comments.id, id)).returning({ id: comments.id });
  return rows.length > 0;
}

/** One post's page of comments (the post is `lateralParentId`), as the subquery `page`. */
export function postCommentsPage(db: Db, { page, author }: { page: PageSql; author: DerivedSql | null }) {
  const query = db
    .select({ ...getTableColumns(comments), ...(author ? authorColumns(author) : {}) })
    .from(comments)
    .$dynamic();
  return (author ? query.innerJoin(users, eq(users.id, comments.authorId)) : query)
    .where(and(eq(comments.postId, lateralParentId), afterKeyset(comments.createdAt, comments.id, page)))
    .orderBy(keysetOrder(comments.createdAt, comments.id, page))
    .limit(pageLimit(page))
    .as('page');
}

const pageRead = lateralRead(postCommentsPage);

/** Each post's comments, in the page's order (the field's is oldest first): one statement for all posts (LIMIT first + 1 each). */
export async function commentPagesByPosts(
  db: Db,
  postIds: readonly number[],
  args: PageArgs,
  shape: RowShape = PLAIN_ROWS,
): Promise<Map<number, CommentRow[]>> {
  const read = pageRead(db, { page: pageSql(args), author: shape.author && derivedSql(shape.author) });
  // With an author, the rows carry it nested (authorColumns).
  return lateralPages<CommentRow | (CommentRow & AuthorNested)>(read, postIds, { ...pageValues(args), ...derivedValues(shape) });
}

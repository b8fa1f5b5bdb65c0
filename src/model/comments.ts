// All SQL about comments.
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { comments, type CommentRow } from '../db/schema.js';
import { afterKeyset, countGroupedBy, inIds, lateralPages, lateralParentId, type PageArgs } from './keyset.js';

export function commentsByIds(db: Db, ids: readonly number[]): Promise<CommentRow[]> {
  return db.select().from(comments).where(inIds(comments.id, ids));
}

/** Each post's comments, oldest first: one statement for all posts (LIMIT first + 1 each). */
export function commentPagesByPosts(db: Db, postIds: readonly number[], args: PageArgs): Promise<Map<number, CommentRow[]>> {
  const page = db
    .select()
    .from(comments)
    .where(and(eq(comments.postId, lateralParentId), afterKeyset(comments.createdAt, comments.id, args.after, 'oldest-first')))
    .orderBy(asc(comments.createdAt), asc(comments.id))
    .limit(args.first + 1)
    .as('page');
  return lateralPages<CommentRow>(db, postIds, page);
}

export const commentsCountsByPosts = (db: Db, postIds: readonly number[]) => countGroupedBy(db, comments.postId, postIds);

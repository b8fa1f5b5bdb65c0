// All SQL about likes.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { likes } from '../db/schema.js';
import { countGroupedBy, inIds } from './keyset.js';

export const likesCountsByPosts = (db: Db, postIds: readonly number[]) => countGroupedBy(db, likes.postId, postIds);

/** Which of `postIds` the user likes. */
export async function likedAmong(db: Db, userId: number, postIds: readonly number[]): Promise<Set<number>> {
  const rows = await db
    .select({ id: likes.postId })
    .from(likes)
    .where(and(eq(likes.userId, userId), inIds(likes.postId, postIds)));
  return new Set(rows.map((row) => row.id));
}

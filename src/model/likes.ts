// All SQL about likes.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { prepared } from '../db/prepared.js';
import { existingPairs } from './pairs.js';
import { likes } from '../db/schema.js';
import { countGroupedBy, inIds } from './keyset.js';

export const likesCountsByPosts = (db: Db, postIds: readonly number[]) => countGroupedBy(db, likes.postId, postIds);

/** Idempotent: liking a post twice keeps one like (and its first time). */
export async function like(db: Db, userId: number, postId: number): Promise<void> {
  await db
    .insert(likes)
    .values({ userId, postId })
    .onConflictDoNothing({ target: [likes.userId, likes.postId] });
}

/** Idempotent: unliking a post not liked changes nothing. */
export async function unlike(db: Db, userId: number, postId: number): Promise<void> {
  await db.delete(likes).where(and(eq(likes.userId, userId), eq(likes.postId, postId)));
}

/** Which of `postIds` the user likes. */
export async function likedAmong(db: Db, userId: number, postIds: readonly number[]): Promise<Set<number>> {
  const read = prepared(db, 'likes:likedAmong', () =>
    db
      .select({ id: likes.postId })
      .from(likes)
      .where(and(eq(likes.userId, sql.placeholder('userId')), inIds(likes.postId))),
  );
  const rows = await read.execute({ userId, ids: postIds });
  return new Set(rows.map((row) => row.id));
}

/**
 * Which (user, post) pairs are likes, for many users at once: the viewerHasLiked of every
 * subscriber of one event in one statement.
 */
export const likedPairs = (db: Db, pairs: readonly { viewerId: number; id: number }[]): Promise<Set<string>> =>
  existingPairs(db, likes.userId, likes.postId, pairs);

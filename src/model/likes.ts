// All SQL about likes.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { likes } from '../db/schema.js';

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

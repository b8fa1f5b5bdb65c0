// All SQL about who follows whom. Followers and following are users ordered by when the
// follow happened (most recent first), so their cursors are (follow time, user id).
import { and, desc, eq, getTableColumns, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client.js';
import { follows, users, type UserRow } from '../db/schema.js';
import { derivedColumns, derivedId, PLAIN_ROWS, type Derived, type RowShape } from './derived.js';
import { afterKeyset, lateralPages, lateralParentId, pageKey, pageLimit, pageValues, type PageArgs } from './keyset.js';

/** A user seen through a follow: `followedAt` orders the page and makes its cursor. */
export type FollowUserRow = UserRow & { followedAt: Date };

/** The users who follow each given user. */
export const followerPages = (db: Db, userIds: readonly number[], args: PageArgs, shape: RowShape = PLAIN_ROWS) =>
  followPages(db, userIds, args, shape.derived, follows.followeeId, follows.followerId);

/** The users each given user follows. */
export const followingPages = (db: Db, userIds: readonly number[], args: PageArgs, shape: RowShape = PLAIN_ROWS) =>
  followPages(db, userIds, args, shape.derived, follows.followerId, follows.followeeId);

function followPages(db: Db, userIds: readonly number[], args: PageArgs, derived: Derived, parent: PgColumn, other: PgColumn) {
  const page = () =>
    db
      .select({
        ...getTableColumns(users),
        ...derivedColumns(users.id, derived),
        // Aliased: users has a created_at of its own.
        followedAt: sql<Date>`${follows.createdAt}`.mapWith(follows.createdAt).as('followed_at'),
      })
      .from(follows)
      .innerJoin(users, eq(users.id, other))
      .where(and(eq(parent, lateralParentId), afterKeyset(follows.createdAt, other, args.after, 'newest-first')))
      .orderBy(desc(follows.createdAt), desc(other))
      .limit(pageLimit)
      .as('page');
  const key = `follows:by.${parent.name}|${pageKey(args)}|${derivedId(derived)}`;
  return lateralPages<FollowUserRow>(db, key, userIds, page, { ...pageValues(args), viewerId: derived.viewerId });
}

/** Idempotent: following someone already followed changes nothing (not even the follow time). */
export async function follow(db: Db, followerId: number, followeeId: number): Promise<void> {
  await db
    .insert(follows)
    .values({ followerId, followeeId })
    .onConflictDoNothing({ target: [follows.followerId, follows.followeeId] });
}

/** Idempotent: unfollowing someone not followed changes nothing. */
export async function unfollow(db: Db, followerId: number, followeeId: number): Promise<void> {
  await db.delete(follows).where(and(eq(follows.followerId, followerId), eq(follows.followeeId, followeeId)));
}

// All SQL about who follows whom. Followers and following are users ordered by when the
// follow happened (most recent first), so their cursors are (follow time, user id).
import { and, eq, getTableColumns, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { follows, users, type UserRow } from '../db/schema.js';
import { derivedColumns, derivedSql, PLAIN_ROWS, type DerivedSql, type RowShape } from './derived.js';
import { afterKeyset, keysetOrder, pageLimit, pageSql, pageValues, type PageArgs, type PageSql } from './keyset.js';
import { lateralPages, lateralParentId, lateralRead } from './lateral.js';

/** A user seen through a follow: `followedAt` orders the page and makes its cursor. */
export type FollowUserRow = UserRow & { followedAt: Date };

/** Which side of a follow the parent is: followers are the users who follow the parent. */
export type Direction = 'followers' | 'following';
const COLUMNS = {
  followers: { parent: follows.followeeId, other: follows.followerId },
  following: { parent: follows.followerId, other: follows.followeeId },
} as const;

/** One user's page of followers or followees (the user is `lateralParentId`), as the subquery `page`. */
export function followPage(db: Db, { direction, page, derived }: { direction: Direction; page: PageSql; derived: DerivedSql }) {
  const { parent, other } = COLUMNS[direction];
  return db
    .select({
      ...getTableColumns(users),
      ...derivedColumns(users.id, derived),
      // Aliased: users has a created_at of its own.
      followedAt: sql<Date>`${follows.createdAt}`.mapWith(follows.createdAt).as('followed_at'),
    })
    .from(follows)
    .innerJoin(users, eq(users.id, other))
    .where(and(eq(parent, lateralParentId), afterKeyset(follows.createdAt, other, page)))
    .orderBy(keysetOrder(follows.createdAt, other, page))
    .limit(pageLimit(page))
    .as('page');
}

const pageRead = lateralRead(followPage);

function followPages(db: Db, direction: Direction, userIds: readonly number[], args: PageArgs, { derived }: RowShape) {
  const read = pageRead(db, { direction, page: pageSql(args), derived: derivedSql(derived) });
  return lateralPages<FollowUserRow>(read, userIds, { ...pageValues(args), viewerId: derived.viewerId });
}

/** The users who follow each given user. */
export const followerPages = (db: Db, userIds: readonly number[], args: PageArgs, shape: RowShape = PLAIN_ROWS) =>
  followPages(db, 'followers', userIds, args, shape);

/** The users each given user follows. */
export const followingPages = (db: Db, userIds: readonly number[], args: PageArgs, shape: RowShape = PLAIN_ROWS) =>
  followPages(db, 'following', userIds, args, shape);

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

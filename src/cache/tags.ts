// What a cached answer depends on, and what a write changes, in one vocabulary of tags. A request
// records a tag for every row its loaders read (and every id they were asked for, found or not);
// a mutation names the tags of what it changed; an answer is dropped from the cache when one of
// its tags is. Tags are coarse on purpose: `Post:5` stands for the post and everything about it
// (its comments page, its counts, who likes it), so a write names few tags and none is forgotten.
import type { CommentRow, PostRow, UserRow } from '../db/schema.js';

export type EntityType = 'User' | 'Post' | 'Comment';

/** A user, post or comment and everything about it. */
export const entityTag = (type: EntityType, id: number) => `${type}:${id}`;

/** Lists whose membership a write can change, beside the tags of the rows they hold. */
export const LIST_TAGS = {
  /** Query.posts: every post. */
  posts: 'list:posts',
  /** Query.users: every user, and who matches a search. */
  users: 'list:users',
  /** Every viewer's feed: any new or deleted post may belong to one. */
  feeds: 'list:feed',
} as const;

/** One viewer's feed: whom they follow decides which posts are in it. */
export const feedTag = (viewerId: number) => `feed:${viewerId}`;

/**
 * Every answer cached for one viewer's tokens: logOut revokes them, and a revoked token must not
 * be answered from the cache, which is read before the token is checked against its user.
 */
export const viewerTag = (viewerId: number) => `viewer:${viewerId}`;

/** Every cached answer: for writes whose effects are too wide to name (deleteUser's cascade). */
export const EVERYTHING = '*';

/** Where a request's loaders record what they read: a Set, or nothing at all. */
export type ReadLog = { add(tag: string): unknown };

/** For loaders whose reads no answer will be cached from (a subscription event's). */
export const UNRECORDED: ReadLog = { add: () => undefined };

/** Records that the ids `ids` of `type` were asked for: an answer saying one is missing depends on it too. */
export function recordIds(reads: ReadLog, type: EntityType, ids: readonly number[]): void {
  for (const id of ids) reads.add(entityTag(type, id));
}

/** The columns of a row that say what it depends on. */
export type RowOf = {
  User: Pick<UserRow, 'id'>;
  Post: Pick<PostRow, 'id' | 'authorId'>;
  Comment: Pick<CommentRow, 'id' | 'postId' | 'authorId'>;
};

/**
 * Records rows read. A post depends on its author (its answer may show them: their row may have
 * come joined with it, never through a loader of its own), and a comment on its post and author:
 * deleting the post deletes the comment with it.
 */
export function recordRows<T extends EntityType>(reads: ReadLog, type: T, rows: readonly RowOf[T][]): void {
  for (const row of rows) {
    reads.add(entityTag(type, row.id));
    if ('authorId' in row) reads.add(entityTag('User', row.authorId));
    if ('postId' in row) reads.add(entityTag('Post', row.postId));
  }
}

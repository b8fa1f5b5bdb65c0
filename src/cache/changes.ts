// What each mutation changes, in the tags of ./tags.ts: every cached answer holding one of them
// is dropped before the mutation's response is sent (./response-cache.ts). A resolver calls
// `changed` right after its transaction commits. Naming more than changed costs only cache hits;
// naming less would serve stale answers, so where the exact set is costly to know it is widened.
import type { Context } from '../context.js';
import { EVERYTHING, LIST_TAGS, entityTag, feedTag, viewerTag } from './tags.js';

type Row = { id: number };

/**
 * A post that appears or goes: the post, its author (postsCount, posts), every list of posts, and
 * every feed: which feeds hold it depends on who follows the author, which is not known without
 * reading it. A deleted post's comments and likes go with it, and their answers hold its tag.
 */
const postListed = (post: Row & { authorId: number }) => [
  entityTag('Post', post.id),
  entityTag('User', post.authorId),
  LIST_TAGS.posts,
  LIST_TAGS.feeds,
];

export const CHANGES = {
  /** Also the new id: an answer may have asked for it before it existed (null). */
  userCreated: (user: Row) => [entityTag('User', user.id), LIST_TAGS.users],
  /** The name shows wherever the user does, and decides who a search of `users` finds. */
  userUpdated: (user: Row) => [entityTag('User', user.id), LIST_TAGS.users],
  /**
   * Everything: the account's posts, comments, likes and follows go with it, and with them counts,
   * pages and flags of other users and posts. Naming each would mean reading them all first;
   * deleting an account is rare enough to pay with the whole cache.
   */
  userDeleted: () => [EVERYTHING],
  /** The answers cached for the viewer's tokens, which stop working. */
  loggedOut: (viewerId: number) => [viewerTag(viewerId)],
  postCreated: postListed,
  /** The post wherever it shows (its pages, feeds and lists hold its tag). */
  postUpdated: (post: Row) => [entityTag('Post', post.id)],
  postDeleted: postListed,
  /** The comment (also a new id asked for before), and its post: comments and commentsCount. */
  commentChanged: (comment: Row & { postId: number }) => [entityTag('Comment', comment.id), entityTag('Post', comment.postId)],
  /** Both users' counts, pages and viewerIsFollowing, and the follower's feed. */
  followChanged: (followerId: number, followeeId: number) => [
    entityTag('User', followerId),
    entityTag('User', followeeId),
    feedTag(followerId),
  ],
  /** The post's likesCount and viewerHasLiked. */
  likeChanged: (postId: number) => [entityTag('Post', postId)],
} satisfies Record<string, (...args: never[]) => string[]>;

/** Records what a committed write changed, for the response cache to drop before the response. */
export function changed(ctx: Pick<Context, 'changed'>, tags: readonly string[]): void {
  for (const tag of tags) ctx.changed.add(tag);
}

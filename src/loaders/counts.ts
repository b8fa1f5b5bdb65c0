// Count loaders: one grouped statement per count kind per request, whatever the page size.
import DataLoader from 'dataloader';
import type { Db } from '../db/client.js';
import { commentsCountsByPosts } from '../model/comments.js';
import { followersCounts, followingCounts } from '../model/follows.js';
import { likesCountsByPosts } from '../model/likes.js';
import { postsCountsByAuthors } from '../model/posts.js';
import type { LoaderOptions } from './options.js';

function countBy(fetch: (db: Db, ids: readonly number[]) => Promise<Map<number, number>>) {
  return (db: Db, options: LoaderOptions) =>
    new DataLoader<number, number>(async (ids) => {
      const counts = await fetch(db, ids);
      return ids.map((id) => counts.get(id) ?? 0);
    }, options);
}

export const postsCountByUser = countBy(postsCountsByAuthors);
export const followersCountByUser = countBy(followersCounts);
export const followingCountByUser = countBy(followingCounts);
export const commentsCountByPost = countBy(commentsCountsByPosts);
export const likesCountByPost = countBy(likesCountsByPosts);

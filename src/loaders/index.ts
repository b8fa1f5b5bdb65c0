// createLoaders: every DataLoader a request (or one subscription event) uses, made together so
// they share one cache for exactly that request and never outlive it.
import type { Viewer } from '../auth/viewer.js';
import type { Db } from '../db/client.js';
import { commentById, postById, userById, userCarryingById } from './by-id.js';
import { commentsCountByPost, followersCountByUser, followingCountByUser, likesCountByPost, postsCountByUser } from './counts.js';
import {
  commentPageByPost,
  feedPageByArgs,
  followerPageByUser,
  followingPageByUser,
  postPageByArgs,
  postPageByAuthor,
  userPageByArgs,
} from './pages.js';
import { primeCarried } from './derived.js';
import type { LoaderOptions } from './options.js';
import { viewerFollowsByUser, viewerLikesByPost } from './viewer-flags.js';

/** `viewer`: whose flags (viewerHasLiked…) and feed these loaders answer; null when anonymous. */
export function createLoaders(db: Db, viewer: Viewer | null, options: LoaderOptions = { batch: true }) {
  const prime = (rows: readonly object[]) => primeCarried(loaders, rows);
  const loaders = {
    userById: userById(db, options),
    postById: postById(db, options),
    commentById: commentById(db, options),
    userCarryingById: userCarryingById(db, options, prime),
    postsCountByUser: postsCountByUser(db, options),
    followersCountByUser: followersCountByUser(db, options),
    followingCountByUser: followingCountByUser(db, options),
    commentsCountByPost: commentsCountByPost(db, options),
    likesCountByPost: likesCountByPost(db, options),
    postPageByAuthor: postPageByAuthor(db, options, prime),
    commentPageByPost: commentPageByPost(db, options, prime),
    followerPageByUser: followerPageByUser(db, options, prime),
    followingPageByUser: followingPageByUser(db, options, prime),
    postPageByArgs: postPageByArgs(db, options, prime),
    userPageByArgs: userPageByArgs(db, options, prime),
    feedPageByArgs: feedPageByArgs(db, viewer, options, prime),
    viewerFollowsByUser: viewerFollowsByUser(db, viewer, options),
    viewerLikesByPost: viewerLikesByPost(db, viewer, options),
  };
  return loaders;
}

export type Loaders = ReturnType<typeof createLoaders>;

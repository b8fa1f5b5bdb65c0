// createLoaders: every DataLoader a request (or one subscription event) uses, made together so
// they share one cache for exactly that request and never outlive it.
import type { Viewer } from '../auth/viewer.js';
import type { Db } from '../db/client.js';
import { commentById, postById, userById } from './by-id.js';
import { childPageLoader, postCarryingById, userCarryingById, type PrimePage } from './carrying.js';
import {
  commentPageByPost,
  feedPageByArgs,
  followerPageByUser,
  followingPageByUser,
  postPageByArgs,
  postPageByAuthor,
  userPageByArgs,
} from './pages.js';
import { derivedLoaders, primeCarried } from './derived.js';
import type { LoaderOptions } from './options.js';

/** `viewer`: whose flags (viewerHasLiked…) and feed these loaders answer; null when anonymous. */
export function createLoaders(db: Db, viewer: Viewer | null, options: LoaderOptions = { batch: true }) {
  const prime = (rows: readonly object[]) => primeCarried(loaders, rows);
  const primePage: PrimePage = (connection, key, page) => childPageLoader(loaders, connection).prime(key, page);
  const loaders = {
    userById: userById(db, options),
    postById: postById(db, options),
    commentById: commentById(db, options),
    userCarryingById: userCarryingById(db, options, prime, primePage),
    postCarryingById: postCarryingById(db, options, prime, primePage),
    /** One loader per derived field (counts, the viewer's flags), by the post's or user's id. */
    derived: derivedLoaders(db, viewer, options),
    postPageByAuthor: postPageByAuthor(db, options, prime),
    commentPageByPost: commentPageByPost(db, options, prime),
    followerPageByUser: followerPageByUser(db, options, prime),
    followingPageByUser: followingPageByUser(db, options, prime),
    postPageByArgs: postPageByArgs(db, options, prime),
    userPageByArgs: userPageByArgs(db, options, prime),
    feedPageByArgs: feedPageByArgs(db, viewer, options, prime),
  };
  return loaders;
}

export type Loaders = ReturnType<typeof createLoaders>;

/**
 * How an app makes its loaders: for each request (`create`) and each subscription event (with
 * `options`, loaders/event.ts). BATCHED_LOADERS, but for the bench's naive server (loaders/naive.ts).
 */
export type LoaderFactory = { options: LoaderOptions; create(db: Db, viewer: Viewer | null): Loaders };

export const BATCHED_LOADERS: LoaderFactory = { options: { batch: true }, create: (db, viewer) => createLoaders(db, viewer) };

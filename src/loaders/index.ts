// createLoaders: every DataLoader a request (or one subscription event) uses, in one record so
// that they share one cache for exactly that request and never outlive it. Each is made on its
// first use (./lazy.ts): a request builds only the loaders it reads.
import type { Viewer } from '../auth/viewer.js';
import type { Db } from '../db/client.js';
import { commentById, postById, userById } from './by-id.js';
import { childPageLoaderName, postCarryingById, userCarryingById, type PrimePage } from './carrying.js';
import {
  commentPageByPost,
  feedPageByArgs,
  followerPageByUser,
  followingPageByUser,
  postPageByArgs,
  postPageByAuthor,
  userPageByArgs,
  type Prime,
} from './pages.js';
import { derivedLoaders, primeCarried } from './derived.js';
import { lazyRecord, primeLazy, type Made } from './lazy.js';
import type { LoaderOptions } from './options.js';

/**
 * What a request's loaders are made from; `prime` fills the record's loaders with what pages carry,
 * `primePage` its page loaders with the pages read with their parent.
 */
type LoaderInput = { db: Db; viewer: Viewer | null; options: LoaderOptions; prime: Prime; primePage: PrimePage };

const MAKERS = {
  userById: ({ db, options }: LoaderInput) => userById(db, options),
  postById: ({ db, options }: LoaderInput) => postById(db, options),
  commentById: ({ db, options }: LoaderInput) => commentById(db, options),
  userCarryingById: ({ db, options, prime, primePage }: LoaderInput) => userCarryingById(db, options, prime, primePage),
  postCarryingById: ({ db, options, prime, primePage }: LoaderInput) => postCarryingById(db, options, prime, primePage),
  /** One loader per derived field (counts, the viewer's flags), by the post's or user's id. */
  derived: ({ db, viewer, options }: LoaderInput) => derivedLoaders(db, viewer, options),
  postPageByAuthor: ({ db, options, prime }: LoaderInput) => postPageByAuthor(db, options, prime),
  commentPageByPost: ({ db, options, prime }: LoaderInput) => commentPageByPost(db, options, prime),
  followerPageByUser: ({ db, options, prime }: LoaderInput) => followerPageByUser(db, options, prime),
  followingPageByUser: ({ db, options, prime }: LoaderInput) => followingPageByUser(db, options, prime),
  postPageByArgs: ({ db, options, prime }: LoaderInput) => postPageByArgs(db, options, prime),
  userPageByArgs: ({ db, options, prime }: LoaderInput) => userPageByArgs(db, options, prime),
  feedPageByArgs: ({ db, viewer, options, prime }: LoaderInput) => feedPageByArgs(db, viewer, options, prime),
};

const makeLoaders = lazyRecord<Made<typeof MAKERS>, LoaderInput>(MAKERS);

/** `viewer`: whose flags (viewerHasLiked…) and feed these loaders answer; null when anonymous. */
export function createLoaders(db: Db, viewer: Viewer | null, options: LoaderOptions = { batch: true }) {
  const loaders = makeLoaders({
    db,
    viewer,
    options,
    prime: (rows) => primeCarried(loaders, rows),
    primePage: (connection, key, page) => primeLazy(loaders, childPageLoaderName(connection), key, page),
  });
  return loaders;
}

export type Loaders = ReturnType<typeof createLoaders>;

/**
 * How an app makes its loaders: for each request (`create`) and each subscription event (with
 * `options`, loaders/event.ts). BATCHED_LOADERS, but for the bench's naive server (loaders/naive.ts).
 */
export type LoaderFactory = { options: LoaderOptions; create(db: Db, viewer: Viewer | null): Loaders };

export const BATCHED_LOADERS: LoaderFactory = { options: { batch: true }, create: (db, viewer) => createLoaders(db, viewer) };

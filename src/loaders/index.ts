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
import { UNRECORDED, type ReadLog } from '../cache/tags.js';

/**
 * What a request's loaders are made from; `prime` fills the record's loaders with what pages carry,
 * `primePage` its page loaders with the pages read with their parent.
 */
type LoaderInput = { db: Db; viewer: Viewer | null; options: LoaderOptions; prime: Prime; primePage: PrimePage; reads: ReadLog };

const MAKERS = {
  userById: ({ db, options, reads }: LoaderInput) => userById(db, options, reads),
  postById: ({ db, options, reads }: LoaderInput) => postById(db, options, reads),
  commentById: ({ db, options, reads }: LoaderInput) => commentById(db, options, reads),
  userCarryingById: ({ db, options, prime, primePage, reads }: LoaderInput) => userCarryingById(db, options, prime, primePage, reads),
  postCarryingById: ({ db, options, prime, primePage, reads }: LoaderInput) => postCarryingById(db, options, prime, primePage, reads),
  /** One loader per derived field (counts, the viewer's flags), by the post's or user's id. */
  derived: ({ db, viewer, options, reads }: LoaderInput) => derivedLoaders(db, viewer, options, reads),
  postPageByAuthor: ({ db, options, prime, reads }: LoaderInput) => postPageByAuthor(db, options, prime, reads),
  commentPageByPost: ({ db, options, prime, reads }: LoaderInput) => commentPageByPost(db, options, prime, reads),
  followerPageByUser: ({ db, options, prime, reads }: LoaderInput) => followerPageByUser(db, options, prime, reads),
  followingPageByUser: ({ db, options, prime, reads }: LoaderInput) => followingPageByUser(db, options, prime, reads),
  postPageByArgs: ({ db, options, prime, reads }: LoaderInput) => postPageByArgs(db, options, prime, reads),
  userPageByArgs: ({ db, options, prime, reads }: LoaderInput) => userPageByArgs(db, options, prime, reads),
  feedPageByArgs: ({ db, viewer, options, prime, reads }: LoaderInput) => feedPageByArgs(db, viewer, options, prime, reads),
};

const makeLoaders = lazyRecord<Made<typeof MAKERS>, LoaderInput>(MAKERS);

/**
 * `viewer`: whose flags (viewerHasLiked…) and feed these loaders answer; null when anonymous.
 * `reads`: where every read records what it depends on, for the response cache (cache/tags.ts).
 */
export function createLoaders(db: Db, viewer: Viewer | null, options: LoaderOptions = { batch: true }, reads: ReadLog = UNRECORDED) {
  const loaders = makeLoaders({
    db,
    viewer,
    options,
    reads,
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
export type LoaderFactory = { options: LoaderOptions; create(db: Db, viewer: Viewer | null, reads?: ReadLog): Loaders };

export const BATCHED_LOADERS: LoaderFactory = {
  options: { batch: true },
  create: (db, viewer, reads) => createLoaders(db, viewer, { batch: true }, reads),
};

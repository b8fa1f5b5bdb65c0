// What the signed-in viewer has done to many objects at once: do they follow these users, like
// these posts? One statement per kind per request; always false for an anonymous viewer, with
// no statement at all.
import DataLoader from 'dataloader';
import type { Viewer } from '../auth/viewer.js';
import type { Db } from '../db/client.js';
import { followedAmong, followedPairs } from '../model/follows.js';
import { likedAmong, likedPairs } from '../model/likes.js';
import type { LoaderOptions } from './options.js';

function viewerFlag(fetch: (db: Db, viewerId: number, ids: readonly number[]) => Promise<Set<number>>) {
  return (db: Db, viewer: Viewer | null, options: LoaderOptions) =>
    new DataLoader<number, boolean>(async (ids) => {
      if (!viewer) return ids.map(() => false);
      const hits = await fetch(db, viewer.id, ids);
      return ids.map((id) => hits.has(id));
    }, options);
}

export const viewerFollowsByUser = viewerFlag(followedAmong);
export const viewerLikesByPost = viewerFlag(likedAmong);

/** A viewer and an object: the key of a flag loader shared by many viewers. */
export type ViewerPair = { viewerId: number; id: number };

const pairId = (pair: ViewerPair) => `${pair.viewerId}:${pair.id}`;

function pairFlag(fetch: (db: Db, pairs: readonly ViewerPair[]) => Promise<Set<string>>) {
  return (db: Db, options: LoaderOptions) =>
    new DataLoader<ViewerPair, boolean, string>(
      async (pairs) => {
        const hits = await fetch(db, pairs);
        return pairs.map((pair) => hits.has(pairId(pair)));
      },
      { ...options, cacheKeyFn: pairId },
    );
}

/** Flags of many viewers in one statement per kind: made per subscription event (see context.ts). */
export const likeByViewerAndPost = pairFlag(likedPairs);
export const followByViewerAndUser = pairFlag(followedPairs);

/** One viewer's flags, shaped as viewerLikesByPost is, answered by a loader shared across viewers. */
export const viewerFlagFrom = (shared: DataLoader<ViewerPair, boolean, string>, viewer: Viewer, options: LoaderOptions) =>
  new DataLoader<number, boolean>((ids) => shared.loadMany(ids.map((id) => ({ viewerId: viewer.id, id }))), options);

// What the signed-in viewer has done to many objects at once: do they follow these users, like
// these posts? One statement per kind per request; always false for an anonymous viewer, with
// no statement at all.
import DataLoader from 'dataloader';
import type { Viewer } from '../context.js';
import type { Db } from '../db/client.js';
import { followedAmong } from '../model/follows.js';
import { likedAmong } from '../model/likes.js';
import type { LoaderOptions } from './index.js';

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

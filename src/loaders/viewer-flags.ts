// What the signed-in viewer has done to many objects at once: do they follow these users, like
// these posts? One statement per kind per request; always false for an anonymous viewer, with
// no statement at all.
import DataLoader from 'dataloader';
import { observed } from './observed.js';
import type { Viewer } from '../auth/viewer.js';
import type { Db } from '../db/client.js';
import { DERIVED, type FlagName } from '../model/derived-fields.js';
import { recordIds, type ReadLog } from '../cache/tags.js';
import { flagPairsOf, flagsOf } from '../model/derived-reads.js';
import type { LoaderOptions } from './options.js';

/** The viewer's flag `name` (model/derived-fields.ts) on posts or users by id. */
export const viewerFlagLoader = (db: Db, name: FlagName, viewer: Viewer | null, options: LoaderOptions, reads: ReadLog) =>
  new DataLoader<number, boolean>(
    observed(`flag:${name}`, db, async (ids) => {
      recordIds(reads, DERIVED[name].owner, ids);
      if (!viewer) return ids.map(() => false);
      const hits = await flagsOf(db, name, viewer.id, ids);
      return ids.map((id) => hits.has(id));
    }),
    options,
  );

/** A viewer and an object: the key of a flag loader shared by many viewers. */
export type ViewerPair = { viewerId: number; id: number };

const pairId = (pair: ViewerPair) => `${pair.viewerId}:${pair.id}`;

/** Flags of many viewers in one statement per kind: made per subscription event (see loaders/event.ts). */
export const pairFlagLoader = (db: Db, name: FlagName, options: LoaderOptions) =>
  new DataLoader<ViewerPair, boolean, string>(
    observed(`flagPairs:${name}`, db, async (pairs) => {
      const hits = await flagPairsOf(db, name, pairs);
      return pairs.map((pair) => hits.has(pairId(pair)));
    }),
    { ...options, cacheKeyFn: pairId },
  );

/** One viewer's flags, shaped as viewerFlagLoader's, answered by a loader shared across viewers. */
export const viewerFlagFrom = (shared: DataLoader<ViewerPair, boolean, string>, viewer: Viewer, options: LoaderOptions) =>
  new DataLoader<number, boolean>((ids) => shared.loadMany(ids.map((id) => ({ viewerId: viewer.id, id }))), options);

// The bench's "naive" server (LOADER_BATCHING=false, bench/lib/servers.mjs): every loader loads one
// key per statement, and no read carries counts, flags or authors along, so that the bench
// measures what batching and carrying buy (bench/RESULTS.md). Never used in production: main.ts
// hands it to createApp only when the bench asks.
import DataLoader from 'dataloader';
import type { Viewer } from '../auth/viewer.js';
import type { Db } from '../db/client.js';
import { PLAIN_ROWS, type RowShape } from '../model/derived.js';
import type { CarryingKey } from './carrying.js';
import { createLoaders, type LoaderFactory, type Loaders } from './index.js';
import { lazyRecord } from './lazy.js';
import type { ReadLog } from '../cache/tags.js';

const ONE_BY_ONE = { batch: false };

/** A page loader whose pages carry nothing, whatever the selection asked for. */
function plain<K extends { shape: RowShape }, V>(loader: DataLoader<K, V, string>): DataLoader<K, V, string> {
  // Not cached here: `loader` caches each plain page once.
  return new DataLoader<K, V, string>((keys) => loader.loadMany(keys.map((key) => ({ ...key, shape: PLAIN_ROWS }))), {
    ...ONE_BY_ONE,
    cache: false,
  });
}

/** A carrying loader that carries nothing: the row alone, whatever the selection asked for. */
function uncarried<V>(byId: DataLoader<number, V>): DataLoader<CarryingKey, V, string> {
  // Not cached here: `byId` caches each row once.
  return new DataLoader<CarryingKey, V, string>((keys) => byId.loadMany(keys.map((key) => key.id)), { ...ONE_BY_ONE, cache: false });
}

/** Made lazily, as the batched set (loaders/lazy.ts), over a batched set made one key per statement. */
const makeNaive = lazyRecord<Loaders, Loaders>({
  userById: (base) => base.userById,
  postById: (base) => base.postById,
  commentById: (base) => base.commentById,
  derived: (base) => base.derived,
  userCarryingById: (base) => uncarried(base.userById),
  postCarryingById: (base) => uncarried(base.postById),
  postPageByAuthor: (base) => plain(base.postPageByAuthor),
  commentPageByPost: (base) => plain(base.commentPageByPost),
  followerPageByUser: (base) => plain(base.followerPageByUser),
  followingPageByUser: (base) => plain(base.followingPageByUser),
  postPageByArgs: (base) => plain(base.postPageByArgs),
  userPageByArgs: (base) => plain(base.userPageByArgs),
  feedPageByArgs: (base) => plain(base.feedPageByArgs),
});

const naiveLoaders = (db: Db, viewer: Viewer | null, reads?: ReadLog): Loaders => makeNaive(createLoaders(db, viewer, ONE_BY_ONE, reads));

export const NAIVE_LOADERS: LoaderFactory = { options: ONE_BY_ONE, create: naiveLoaders };

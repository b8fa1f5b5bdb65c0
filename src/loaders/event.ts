// The loaders of one subscription event, shared by every subscriber it reaches on this instance:
// 2,000 subscribers of one new post cost one statement per kind of thing their selections read,
// not one per subscriber. Made per event (by createEventLoaders in context.ts), so nothing read
// for an earlier event is served for a later one.
//
// What a row is does not depend on who asks: rows by id and counts come from one set for all.
// What does depend on the viewer is kept apart per viewer: their flags (viewerHasLiked…), answered
// for all viewers together by one loader keyed by (viewer, id); and pages, which carry the
// viewer's flags along with their rows (model/derived.ts) and prime that viewer's loaders with
// them, so each viewer gets their own (anonymous subscribers share one). Only rows by id and the
// counts are taken from the shared set (makeViewerSet); every other loader is the viewer's own.
import type { Viewer } from '../auth/viewer.js';
import type { Db } from '../db/client.js';
import { BATCHED_LOADERS, type LoaderFactory, type Loaders } from './index.js';
import { eventDerivedLoaders, flagPairLoaders, type FlagPairLoaders } from './derived.js';
import { lazyRecord } from './lazy.js';

/** What one viewer's set is made of: their own set, the event's shared one, the event's flag loaders. */
type ViewerInput = { own: Loaders; shared: Loaders; flags: () => FlagPairLoaders; viewer: Viewer; options: LoaderFactory['options'] };

// Lazy (./lazy.ts) as every set of loaders: a subscriber's set makes only what its selection reads.
// The derived loaders are split by their declaration (model/derived-fields.ts): counts are shared,
// flags are each viewer's own (eventDerivedLoaders).
const makeViewerSet = lazyRecord<Loaders, ViewerInput>({
  userById: ({ shared }) => shared.userById,
  postById: ({ shared }) => shared.postById,
  commentById: ({ shared }) => shared.commentById,
  derived: ({ shared, flags, viewer, options }) => eventDerivedLoaders(shared.derived, flags(), viewer, options),
  userCarryingById: ({ own }) => own.userCarryingById,
  postCarryingById: ({ own }) => own.postCarryingById,
  postPageByAuthor: ({ own }) => own.postPageByAuthor,
  commentPageByPost: ({ own }) => own.commentPageByPost,
  followerPageByUser: ({ own }) => own.followerPageByUser,
  followingPageByUser: ({ own }) => own.followingPageByUser,
  postPageByArgs: ({ own }) => own.postPageByArgs,
  userPageByArgs: ({ own }) => own.userPageByArgs,
  feedPageByArgs: ({ own }) => own.feedPageByArgs,
});

export type EventLoaders = {
  /** The anonymous viewer's set, whose rows and counts every viewer's set shares. */
  shared: Loaders;
  /** The set a subscriber resolves the event with: one per viewer per event, made on first use. */
  forViewer(viewer: Viewer | null): Loaders;
};

export function eventLoaders(db: Db, factory: LoaderFactory = BATCHED_LOADERS): EventLoaders {
  const { options } = factory;
  const shared = factory.create(db, null);
  let pairs: FlagPairLoaders | undefined;
  const flags = () => (pairs ??= flagPairLoaders(db, options));
  const byViewer = new Map<number, Loaders>();
  return {
    shared,
    forViewer(viewer) {
      if (!viewer) return shared;
      let loaders = byViewer.get(viewer.id);
      if (!loaders) {
        loaders = makeViewerSet({ own: factory.create(db, viewer), shared, flags, viewer, options });
        byViewer.set(viewer.id, loaders);
      }
      return loaders;
    },
  };
}

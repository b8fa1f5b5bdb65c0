// The loaders of one subscription event, shared by every subscriber it reaches on this instance:
// 2,000 subscribers of one new post cost one statement per kind of thing their selections read,
// not one per subscriber. Made per event (by createEventLoaders in context.ts), so nothing read
// for an earlier event is served for a later one.
//
// What a row is does not depend on who asks: rows by id and counts come from one set for all.
// What does depend on the viewer is kept apart per viewer: their flags (viewerHasLiked…), answered
// for all viewers together by one loader keyed by (viewer, id); and pages, which carry the
// viewer's flags along with their rows (model/derived.ts) and prime that viewer's loaders with
// them, so each viewer gets their own (anonymous subscribers share one). A loader not listed in
// SHARED_ACROSS_VIEWERS stays per viewer: a new loader is safe by default.
import type { Viewer } from '../auth/viewer.js';
import type { Db } from '../db/client.js';
import { BATCHED_LOADERS, type LoaderFactory, type Loaders } from './index.js';
import { eventDerivedLoaders, flagPairLoaders, type FlagPairLoaders } from './derived.js';

// The derived loaders are split by their declaration (model/derived-fields.ts): counts are shared,
// flags are each viewer's own (eventDerivedLoaders).
const SHARED_ACROSS_VIEWERS = ['userById', 'postById', 'commentById'] as const satisfies readonly (keyof Loaders)[];

export type EventLoaders = {
  /** The anonymous viewer's set, whose rows and counts every viewer's set shares. */
  shared: Loaders;
  /** The set a subscriber resolves the event with: one per viewer per event, made on first use. */
  forViewer(viewer: Viewer | null): Loaders;
};

export function eventLoaders(db: Db, factory: LoaderFactory = BATCHED_LOADERS): EventLoaders {
  const { options } = factory;
  const shared = factory.create(db, null);
  const pick = Object.fromEntries(SHARED_ACROSS_VIEWERS.map((name) => [name, shared[name]])) as Pick<
    Loaders,
    (typeof SHARED_ACROSS_VIEWERS)[number]
  >;
  let flags: FlagPairLoaders | undefined;
  const byViewer = new Map<number, Loaders>();
  return {
    shared,
    forViewer(viewer) {
      if (!viewer) return shared;
      let loaders = byViewer.get(viewer.id);
      if (!loaders) {
        flags ??= flagPairLoaders(db, options);
        loaders = { ...factory.create(db, viewer), ...pick, derived: eventDerivedLoaders(shared.derived, flags, viewer, options) };
        byViewer.set(viewer.id, loaders);
      }
      return loaders;
    },
  };
}

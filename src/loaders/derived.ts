// The loaders of the derived fields (model/derived-fields.ts), one per field, made from its
// declaration. What a page's rows carry along (derived values, a joined author: model/derived.ts)
// primes them and userById, so that a field resolved from one of those loaders later in the
// request costs no statement. A primed value never replaces one the request already read, and
// priming makes no loader: the value waits until a field makes it (./lazy.ts).
import type DataLoader from 'dataloader';
import type { Viewer } from '../auth/viewer.js';
import type { Db } from '../db/client.js';
import { DERIVED_NAMES, isCount, type DerivedName, type DerivedValue, type FlagName } from '../model/derived-fields.js';
import { countLoader } from './counts.js';
import { lazyRecord, primeLazy, type Makers } from './lazy.js';
import type { LoaderOptions } from './options.js';
import type { ReadLog } from '../cache/tags.js';
import { pairFlagLoader, viewerFlagFrom, viewerFlagLoader, type ViewerPair } from './viewer-flags.js';

/** Keyed by the row's id: a count or the viewer's flag. */
export type DerivedLoaders = { [N in DerivedName]: DataLoader<number, DerivedValue<N>> };

/** A lazy record (./lazy.ts) of one value per derived field, made by `make` from the record's input. */
function byName<I>(make: (name: DerivedName, input: I) => DataLoader<number, number> | DataLoader<number, boolean>) {
  return lazyRecord(Object.fromEntries(DERIVED_NAMES.map((name) => [name, (input: I) => make(name, input)])) as Makers<DerivedLoaders, I>);
}

type RequestInput = { db: Db; viewer: Viewer | null; options: LoaderOptions; reads: ReadLog };

const makeDerived = byName<RequestInput>((name, { db, viewer, options, reads }) =>
  isCount(name) ? countLoader(db, name, options, reads) : viewerFlagLoader(db, name, viewer, options, reads),
);

/** `viewer`: whose flags these loaders answer; null when anonymous (every flag false). `reads`: where the ids asked are recorded. */
export const derivedLoaders = (db: Db, viewer: Viewer | null, options: LoaderOptions, reads: ReadLog): DerivedLoaders =>
  makeDerived({ db, viewer, options, reads });

/** Per subscription event: each flag of every viewer it reaches in one statement. */
export type FlagPairLoaders = Record<FlagName, DataLoader<ViewerPair, boolean, string>>;

const makeFlagPairs = lazyRecord(
  Object.fromEntries(
    DERIVED_NAMES.filter((name) => !isCount(name)).map((name) => [
      name,
      ({ db, options }: { db: Db; options: LoaderOptions }) => pairFlagLoader(db, name, options),
    ]),
  ) as Makers<FlagPairLoaders, { db: Db; options: LoaderOptions }>,
);

export const flagPairLoaders = (db: Db, options: LoaderOptions): FlagPairLoaders => makeFlagPairs({ db, options });

type EventInput = { shared: DerivedLoaders; pairs: FlagPairLoaders; viewer: Viewer; options: LoaderOptions };

const makeEventDerived = byName<EventInput>((name, { shared, pairs, viewer, options }) =>
  isCount(name) ? shared[name] : viewerFlagFrom(pairs[name], viewer, options),
);

/**
 * One viewer's derived loaders within a subscription event: the counts are the same for everyone
 * (`shared`'s); the flags are this viewer's, answered through the event's pair loaders.
 */
export const eventDerivedLoaders = (shared: DerivedLoaders, pairs: FlagPairLoaders, viewer: Viewer, options: LoaderOptions) =>
  makeEventDerived({ shared, pairs, viewer, options });

/**
 * The loaders primeCarried fills, named here rather than taken as index.ts's Loaders type, which
 * would close a cycle (index.ts imports this module).
 */
type Primed = { derived: DerivedLoaders; userById: DataLoader<number, unknown> };

export function primeCarried(loaders: Primed, rows: readonly object[]): void {
  for (const row of rows as (Record<string, unknown> & { id: number })[]) {
    for (const name of DERIVED_NAMES) {
      if (row[name] !== undefined) primeLazy(loaders.derived, name, row.id, row[name]);
    }
    if (row.email !== undefined) primeLazy(loaders, 'userById', row.id, row); // a user row
    const author = row.author as (Record<string, unknown> & { id: number }) | undefined;
    if (author) {
      primeLazy(loaders, 'userById', author.id, author);
      primeCarried(loaders, [author]);
    }
  }
}

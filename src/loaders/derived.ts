// The loaders of the derived fields (model/derived-fields.ts), one per field, made from its
// declaration. What a page's rows carry along (derived values, a joined author: model/derived.ts)
// primes them and userById, so that a field resolved from one of those loaders later in the
// request costs no statement. A primed value never replaces one the request already read.
import type DataLoader from 'dataloader';
import type { Viewer } from '../auth/viewer.js';
import type { Db } from '../db/client.js';
import { DERIVED_NAMES, isCount, type DerivedName, type DerivedValue, type FlagName } from '../model/derived-fields.js';
import { countLoader } from './counts.js';
import type { LoaderOptions } from './options.js';
import { pairFlagLoader, viewerFlagFrom, viewerFlagLoader, type ViewerPair } from './viewer-flags.js';

/** Keyed by the row's id: a count or the viewer's flag. */
export type DerivedLoaders = { [N in DerivedName]: DataLoader<number, DerivedValue<N>> };

const byName = (make: (name: DerivedName) => DataLoader<number, number> | DataLoader<number, boolean>) =>
  Object.fromEntries(DERIVED_NAMES.map((name) => [name, make(name)])) as DerivedLoaders;

/** `viewer`: whose flags these loaders answer; null when anonymous (every flag false). */
export const derivedLoaders = (db: Db, viewer: Viewer | null, options: LoaderOptions): DerivedLoaders =>
  byName((name) => (isCount(name) ? countLoader(db, name, options) : viewerFlagLoader(db, name, viewer, options)));

/** Per subscription event: each flag of every viewer it reaches in one statement. */
export type FlagPairLoaders = Record<FlagName, DataLoader<ViewerPair, boolean, string>>;

export const flagPairLoaders = (db: Db, options: LoaderOptions): FlagPairLoaders =>
  Object.fromEntries(
    DERIVED_NAMES.filter((name) => !isCount(name)).map((name) => [name, pairFlagLoader(db, name, options)]),
  ) as FlagPairLoaders;

/**
 * One viewer's derived loaders within a subscription event: the counts are the same for everyone
 * (`shared`'s); the flags are this viewer's, answered through the event's pair loaders.
 */
export const eventDerivedLoaders = (shared: DerivedLoaders, pairs: FlagPairLoaders, viewer: Viewer, options: LoaderOptions) =>
  byName((name) => (isCount(name) ? shared[name] : viewerFlagFrom(pairs[name], viewer, options)));

/**
 * The loaders primeCarried fills, named here rather than taken as index.ts's Loaders type, which
 * would close a cycle (index.ts imports this module).
 */
type Primed = { derived: DerivedLoaders; userById: DataLoader<number, unknown> };

export function primeCarried(loaders: Primed, rows: readonly object[]): void {
  for (const row of rows as (Record<string, unknown> & { id: number })[]) {
    for (const name of DERIVED_NAMES) {
      const loader: DataLoader<number, unknown> = loaders.derived[name];
      if (row[name] !== undefined) loader.prime(row.id, row[name]);
    }
    if (row.email !== undefined) loaders.userById.prime(row.id, row); // a user row
    const author = row.author as (Record<string, unknown> & { id: number }) | undefined;
    if (author) {
      loaders.userById.prime(author.id, author);
      primeCarried(loaders, [author]);
    }
  }
}

// What a page's rows carry along (derived values, a joined author: model/derived.ts) primes the
// loaders that would otherwise fetch it, so that a field resolved from one of those loaders later
// in the request costs no statement. A primed value never replaces one the request already read.
import type DataLoader from 'dataloader';
import type { DerivedName } from '../model/derived.js';

/** The loader each derived value stands in for, keyed by the row's id. */
const LOADER_OF = {
  commentsCount: 'commentsCountByPost',
  likesCount: 'likesCountByPost',
  viewerHasLiked: 'viewerLikesByPost',
  followersCount: 'followersCountByUser',
  followingCount: 'followingCountByUser',
  postsCount: 'postsCountByUser',
  viewerIsFollowing: 'viewerFollowsByUser',
} as const satisfies Record<DerivedName, string>;
const DERIVED_NAMES = Object.keys(LOADER_OF) as DerivedName[];

/**
 * The loaders primeCarried fills, named here rather than taken as index.ts's Loaders type, which
 * would close a cycle (index.ts imports this module); index.ts passes its Loaders, so a name
 * here that is not a loader there fails to compile.
 */
type Primed = Record<(typeof LOADER_OF)[DerivedName] | 'userById', DataLoader<number, unknown>>;

export function primeCarried(loaders: Primed, rows: readonly object[]): void {
  for (const row of rows as (Record<string, unknown> & { id: number })[]) {
    for (const name of DERIVED_NAMES) {
      if (row[name] !== undefined) (loaders[LOADER_OF[name]] as DataLoader<number, unknown>).prime(row.id, row[name]);
    }
    if (row.email !== undefined) loaders.userById.prime(row.id, row as never); // a user row
    const author = row.author as (Record<string, unknown> & { id: number }) | undefined;
    if (author) {
      loaders.userById.prime(author.id, author as never);
      primeCarried(loaders, [author]);
    }
  }
}

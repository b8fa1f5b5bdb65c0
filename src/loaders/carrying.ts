// Users and posts by id carrying what a root field's selection asks of them (user(id), post(id),
// node(id)…): derived values, and pages of their connections. One statement per distinct set of
// things carried, whose rows prime the loaders the fields below will ask (userById, the count and
// flag loaders, the page loaders), under exactly the keys they will ask with: a profile with its
// posts and followers is one statement, and its child fields are cache hits.
import DataLoader from 'dataloader';
import { observed } from './observed.js';
import type { Db } from '../db/client.js';
import type { PostRow, UserRow } from '../db/schema.js';
import type { ChildConnection, ChildPage } from '../model/child-pages.js';
import { shapeId, type RowShape } from '../model/derived.js';
import { toPage, type Page } from '../model/keyset.js';
import { byIdsWithPages, type ParentTable } from '../model/with-pages.js';
import { groupBy } from './group.js';
import type { LoaderOptions } from './options.js';
import { recordIds, recordRows, type EntityType, type ReadLog, type RowOf } from '../cache/tags.js';
import { pageArgsId, type PageKey, type Prime } from './pages.js';

/** An object by id, with what to carry: derived values, a post's author, pages of its connections. */
export type CarryingKey = { id: number; shape: RowShape; pages: readonly ChildPage[] };

/** Hands a page read with its parent to the page loader its connection field reads. */
export type PrimePage = (connection: ChildConnection, key: PageKey, page: Page<object>) => void;

/**
 * Per connection: the page loader its field reads (schema/child-pages.ts), which a page read with
 * its parent primes, and what its rows are, for the tags the reads record (cache/tags.ts).
 */
const CHILD_PAGES = {
  authorPosts: { loader: 'postPageByAuthor', type: 'Post' },
  followers: { loader: 'followerPageByUser', type: 'User' },
  following: { loader: 'followingPageByUser', type: 'User' },
  postComments: { loader: 'commentPageByPost', type: 'Comment' },
} as const satisfies Record<ChildConnection, { loader: string; type: EntityType }>;

type ChildPageLoaders = Record<(typeof CHILD_PAGES)[ChildConnection]['loader'], DataLoader<PageKey, Page<object>, string>>;

/** The name, in a request's loaders, of the page loader a connection's field reads. */
export const childPageLoaderName = (connection: ChildConnection) => CHILD_PAGES[connection].loader;
export const childPageLoader = (loaders: ChildPageLoaders, connection: ChildConnection) => loaders[childPageLoaderName(connection)];

const PARENT_TYPES = { users: 'User', posts: 'Post' } as const satisfies Record<ParentTable, EntityType>;

const carriedId = ({ shape, pages }: CarryingKey) =>
  `${shapeId(shape)}|${pages.map((child) => `${child.connection}:${pageArgsId(child)}`).join(';')}`;
const carryingKeyId = (key: CarryingKey) => `${key.id}|${carriedId(key)}`;

function carryingById<T extends RowOf[(typeof PARENT_TYPES)[P]], P extends ParentTable>(parent: P) {
  const type = PARENT_TYPES[parent];
  return (db: Db, options: LoaderOptions, prime: Prime, primePage: PrimePage, reads: ReadLog) =>
    new DataLoader<CarryingKey, T | null, string>(
      observed(`${type.toLowerCase()}CarryingById`, db, async (keys) => {
        const found = new Map<string, T>();
        await Promise.all(
          [...groupBy(keys, carriedId).values()].map(async (group) => {
            const { shape, pages } = group[0]!;
            const ids = group.map((key) => key.id);
            recordIds(reads, type, ids);
            for (const { row, pages: rowsOfPages } of await byIdsWithPages<T>(db, parent, ids, shape, pages)) {
              recordRows(reads, type, [row]);
              prime([row]);
              pages.forEach(({ connection, ...args }, i) => {
                const rows = rowsOfPages[i]!;
                recordRows(reads, CHILD_PAGES[connection].type, rows as RowOf[EntityType][]);
                prime(rows);
                primePage(connection, { ...args, parentId: row.id }, toPage(rows, args));
              });
              found.set(carryingKeyId({ ...group[0]!, id: row.id }), row);
            }
          }),
        );
        return keys.map((key) => found.get(carryingKeyId(key)) ?? null);
      }),
      { ...options, cacheKeyFn: carryingKeyId },
    );
}

export const userCarryingById = carryingById<UserRow, 'users'>('users');
export const postCarryingById = carryingById<PostRow, 'posts'>('posts');

// Users and posts by id carrying what a root field's selection asks of them (user(id), post(id),
// node(id)…): derived values, and pages of their connections. One statement per distinct set of
// things carried, whose rows prime the loaders the fields below will ask (userById, the count and
// flag loaders, the page loaders), under exactly the keys they will ask with: a profile with its
// posts and followers is one statement, and its child fields are cache hits.
import DataLoader from 'dataloader';
import type { Db } from '../db/client.js';
import type { PostRow, UserRow } from '../db/schema.js';
import type { ChildConnection, ChildPage } from '../model/child-pages.js';
import { shapeId, type RowShape } from '../model/derived.js';
import { toPage, type Page } from '../model/keyset.js';
import { byIdsWithPages, type ParentTable } from '../model/with-pages.js';
import { groupBy } from './group.js';
import type { LoaderOptions } from './options.js';
import { pageArgsId, type PageKey, type Prime } from './pages.js';

/** An object by id, with what to carry: derived values, a post's author, pages of its connections. */
export type CarryingKey = { id: number; shape: RowShape; pages: readonly ChildPage[] };

/** Hands a page read with its parent to the page loader its connection field reads. */
export type PrimePage = (connection: ChildConnection, key: PageKey, page: Page<object>) => void;

/** The page loader each connection's field reads (schema/child-pages.ts), which a page read with its parent primes. */
const CHILD_PAGE_LOADERS = {
  authorPosts: 'postPageByAuthor',
  followers: 'followerPageByUser',
  following: 'followingPageByUser',
  postComments: 'commentPageByPost',
} as const satisfies Record<ChildConnection, string>;

type ChildPageLoaders = Record<(typeof CHILD_PAGE_LOADERS)[ChildConnection], DataLoader<PageKey, Page<object>, string>>;

/** The name, in a request's loaders, of the page loader a connection's field reads. */
export const childPageLoaderName = (connection: ChildConnection) => CHILD_PAGE_LOADERS[connection];
export const childPageLoader = (loaders: ChildPageLoaders, connection: ChildConnection) => loaders[childPageLoaderName(connection)];

const carriedId = ({ shape, pages }: CarryingKey) =>
  `${shapeId(shape)}|${pages.map((child) => `${child.connection}:${pageArgsId(child)}`).join(';')}`;
const carryingKeyId = (key: CarryingKey) => `${key.id}|${carriedId(key)}`;

function carryingById<T extends { id: number }>(parent: ParentTable) {
  return (db: Db, options: LoaderOptions, prime: Prime, primePage: PrimePage) =>
    new DataLoader<CarryingKey, T | null, string>(
      async (keys) => {
        const found = new Map<string, T>();
        await Promise.all(
          [...groupBy(keys, carriedId).values()].map(async (group) => {
            const { shape, pages } = group[0]!;
            const ids = group.map((key) => key.id);
            for (const { row, pages: rowsOfPages } of await byIdsWithPages<T>(db, parent, ids, shape, pages)) {
              prime([row]);
              pages.forEach(({ connection, ...args }, i) => {
                const rows = rowsOfPages[i]!;
                prime(rows);
                primePage(connection, { ...args, parentId: row.id }, toPage(rows, args));
              });
              found.set(carryingKeyId({ ...group[0]!, id: row.id }), row);
            }
          }),
        );
        return keys.map((key) => found.get(carryingKeyId(key)) ?? null);
      },
      { ...options, cacheKeyFn: carryingKeyId },
    );
}

export const userCarryingById = carryingById<UserRow>('users');
export const postCarryingById = carryingById<PostRow>('posts');

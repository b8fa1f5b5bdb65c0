// Connection pages of many parents at once. A key is (parent, first, after, order): two aliases
// asking different pages of one parent each get their own. Keys with the same page arguments
// share one LATERAL statement, so a request costs one statement per distinct page shape.
import DataLoader from 'dataloader';
import { observed } from './observed.js';
import type { Viewer } from '../auth/viewer.js';
import type { Db } from '../db/client.js';
import type { CommentRow, PostRow, UserRow } from '../db/schema.js';
import { commentPagesByPosts } from '../model/comments.js';
import { followerPages, followingPages, type FollowUserRow } from '../model/follows.js';
import { shapeId, type RowShape } from '../model/derived.js';
import { toPage, type Page, type PageArgs } from '../model/keyset.js';
import { feedPage, postPagesByAuthors, postsPage } from '../model/posts.js';
import { usersPage } from '../model/users.js';
import { groupBy } from './group.js';
import type { LoaderOptions } from './options.js';
import { LIST_TAGS, feedTag, recordIds, recordRows, type EntityType, type ReadLog, type RowOf } from '../cache/tags.js';

/** A page of one connection: which rows, and what they carry along (see model/derived.ts). */
export type ShapedPageArgs = PageArgs & { shape: RowShape };
export type PageKey = ShapedPageArgs & { parentId: number };

/** Called with every row a page loader fetched, so that what the rows carry primes its loaders. */
export type Prime = (rows: readonly object[]) => void;

export const pageArgsId = ({ first, after, order, shape }: ShapedPageArgs) =>
  `${first}|${after ? `${after.at.getTime()}:${after.id}` : ''}|${order}|${shapeId(shape)}`;
const pageKeyId = (key: PageKey) => `${key.parentId}|${pageArgsId(key)}`;

/** `parentType`, `type`: what the parents and the rows are, for the tags the reads record (cache/tags.ts). */
function pagesByParent<E extends EntityType, T extends RowOf[E]>(
  name: string,
  parentType: EntityType,
  type: E,
  fetch: (db: Db, parentIds: readonly number[], args: PageArgs, shape: RowShape) => Promise<Map<number, T[]>>,
) {
  return (db: Db, options: LoaderOptions, prime: Prime, reads: ReadLog) =>
    new DataLoader<PageKey, Page<T>, string>(
      observed(name, db, async (keys) => {
        const pages = new Map<string, Page<T>>();
        await Promise.all(
          [...groupBy(keys, pageArgsId).values()].map(async (group) => {
            const args = group[0]!;
            const parentIds = [...new Set(group.map((k) => k.parentId))];
            recordIds(reads, parentType, parentIds);
            const rowsByParent = await fetch(db, parentIds, args, args.shape);
            for (const rows of rowsByParent.values()) {
              recordRows(reads, type, rows);
              prime(rows);
            }
            for (const key of group) pages.set(pageKeyId(key), toPage(rowsByParent.get(key.parentId) ?? [], key));
          }),
        );
        return keys.map((key) => pages.get(pageKeyId(key))!);
      }),
      { ...options, cacheKeyFn: pageKeyId },
    );
}

export const postPageByAuthor = pagesByParent<'Post', PostRow>('postPageByAuthor', 'User', 'Post', postPagesByAuthors);
export const commentPageByPost = pagesByParent<'Comment', CommentRow>('commentPageByPost', 'Post', 'Comment', commentPagesByPosts);
export const followerPageByUser = pagesByParent<'User', FollowUserRow>('followerPageByUser', 'User', 'User', followerPages);
export const followingPageByUser = pagesByParent<'User', FollowUserRow>('followingPageByUser', 'User', 'User', followingPages);

/**
 * Root connections have no parent: a batch runs one statement per distinct page asked for.
 * `listTags`: the lists the page is part of, whose membership writes change (cache/tags.ts).
 */
function rootPages<A extends ShapedPageArgs, E extends EntityType, T extends RowOf[E]>(
  name: string,
  type: E,
  fetch: (db: Db, args: A, shape: RowShape) => Promise<Page<T>>,
  argsId: (args: A) => string,
) {
  return (db: Db, options: LoaderOptions, prime: Prime, reads: ReadLog, listTags: readonly string[]) =>
    new DataLoader<A, Page<T>, string>(
      observed(name, db, (keys) =>
        Promise.all(
          keys.map(async (args) => {
            for (const tag of listTags) reads.add(tag);
            const page = await fetch(db, args, args.shape);
            recordRows(reads, type, page.rows);
            prime(page.rows);
            return page;
          }),
        ),
      ),
      { ...options, cacheKeyFn: argsId },
    );
}

const allPosts = rootPages<ShapedPageArgs, 'Post', PostRow>('postPageByArgs', 'Post', postsPage, pageArgsId);
export const postPageByArgs = (db: Db, options: LoaderOptions, prime: Prime, reads: ReadLog) =>
  allPosts(db, options, prime, reads, [LIST_TAGS.posts]);

const allUsers = rootPages<ShapedPageArgs & { search: string | null }, 'User', UserRow>(
  'userPageByArgs',
  'User',
  usersPage,
  (args) => `${pageArgsId(args)}|${args.search ?? ''}`,
);
export const userPageByArgs = (db: Db, options: LoaderOptions, prime: Prime, reads: ReadLog) =>
  allUsers(db, options, prime, reads, [LIST_TAGS.users]);

/** The viewer's home feed, per page asked for. Made per request with the viewer it belongs to. */
export const feedPageByArgs = (db: Db, viewer: Viewer | null, options: LoaderOptions, prime: Prime, reads: ReadLog) =>
  rootPages<ShapedPageArgs, 'Post', PostRow>(
    'feedPageByArgs',
    'Post',
    (db, args, shape) => {
      // The feed field refuses anonymous callers before loading: reaching here without a viewer is a bug.
      if (!viewer) throw new Error('expected a viewer for the feed, found none');
      return feedPage(db, viewer.id, args, shape);
    },
    pageArgsId,
    // Any new post may belong to a feed (LIST_TAGS.feeds); whom the viewer follows decides which (feedTag).
  )(db, options, prime, reads, viewer ? [LIST_TAGS.feeds, feedTag(viewer.id)] : []);

// All SQL about posts.
import { and, eq, getTableColumns, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { follows, posts, users, type PostRow } from '../db/schema.js';
import { unauthenticated } from '../errors.js';
import { isForeignKeyViolation } from './constraint.js';
import { preparedRead } from '../db/prepared.js';
import {
  authorColumns,
  derivedColumns,
  derivedSql,
  derivedValues,
  PLAIN_ROWS,
  shapeSql,
  type DerivedSql,
  type RowShape,
  type ShapeSql,
} from './derived.js';
import { editedAt } from './edited-at.js';
import { afterKeyset, inIds, keysetOrder, pageLimit, pageSql, pageValues, toPage } from './keyset.js';
import type { Page, PageArgs, PageSql } from './keyset.js';
import { lateralPages, lateralParentId, lateralRead } from './lateral.js';

const byIdsRead = preparedRead((db) => db.select().from(posts).where(inIds(posts.id)));

export function postsByIds(db: Db, ids: readonly number[]): Promise<PostRow[]> {
  return byIdsRead(db, {}).execute({ ids });
}

/**
 * The post, locked until the transaction ends: 'update' before editing or deleting it, 'key share'
 * before writing a row that refers to it (it cannot be deleted meanwhile). Null when there is none.
 */
export async function lockedPost(db: Db, id: number, strength: 'update' | 'key share'): Promise<PostRow | null> {
  const [row] = await db.select().from(posts).where(eq(posts.id, id)).for(strength);
  return row ?? null;
}

export async function createPost(db: Db, post: { authorId: number; title: string; content: string }): Promise<PostRow> {
  try {
    const [row] = await db.insert(posts).values(post).returning();
    return row!;
  } catch (error) {
    // The author deleted their account while this request was under way.
    if (isForeignKeyViolation(error, 'posts_author_id_users_id_fk')) throw unauthenticated('The account of this token no longer exists.');
    throw error;
  }
}

/** Changes what is given and advances updatedAt; null when the post does not exist. */
export async function updatePost(db: Db, id: number, changes: { title?: string; content?: string }): Promise<PostRow | null> {
  const [row] = await db
    .update(posts)
    .set({ ...changes, updatedAt: editedAt(posts.updatedAt) })
    .where(eq(posts.id, id))
    .returning();
  return row ?? null;
}

/** Its comments and likes go with it (foreign keys cascade). */
export async function deletePost(db: Db, id: number): Promise<boolean> {
  const rows = await db.delete(posts).where(eq(posts.id, id)).returning({ id: posts.id });
  return rows.length > 0;
}

/** Posts with what `shape` asks to carry along: derived values, and the author (joined). */
function selectPosts(db: Db, shape: ShapeSql) {
  const query = db
    .select({ ...getTableColumns(posts), ...derivedColumns(posts.id, shape.derived), ...(shape.author ? authorColumns(shape.author) : {}) })
    .from(posts)
    .$dynamic();
  return shape.author ? query.innerJoin(users, eq(users.id, posts.authorId)) : query;
}

/** What shapes the text of a page of posts: its cursor, and what its rows carry. */
type PostPageSql = { page: PageSql; shape: ShapeSql };
const postPageSql = (args: PageArgs, shape: RowShape): PostPageSql => ({ page: pageSql(args), shape: shapeSql(shape) });

const pageRead = preparedRead((db, { page, shape }: PostPageSql) =>
  selectPosts(db, shape)
    .where(afterKeyset(posts.createdAt, posts.id, page))
    .orderBy(keysetOrder(posts.createdAt, posts.id, page))
    .limit(pageLimit(page)),
);

/** Every post, in the page's order. */
export async function postsPage(db: Db, args: PageArgs, shape: RowShape = PLAIN_ROWS): Promise<Page<PostRow>> {
  const rows = await pageRead(db, postPageSql(args, shape)).execute({ ...pageValues(args), ...derivedValues(shape) });
  // With an author, the rows carry it nested (authorColumns): still posts, with one field more.
  return toPage(rows as PostRow[], args);
}

/**
 * @default 100 followees: up to this many, the feed seeks each followee's newest (or oldest)
 * posts; beyond it, it walks all posts in the page's order. Measured on the bench dataset
 * (bench/RESULTS.md), newest first.
 */
const FEED_SEEK_MAX_FOLLOWEES = 100;

/**
 * A viewer's home feed: their own posts and those of everyone they follow, newest first.
 *
 * Two plans, and the statement picks one by the viewer's follow count (a one-time filter: the
 * other branch never runs). Following few people, it takes each author's newest `first + 1`
 * posts from posts_author_id_created_at_id_idx and merges them: ~21 short seeks. Following many,
 * that would be thousands of seeks; it walks posts_created_at_id_idx backwards instead, keeping
 * the followees' rows, which stops after `first + 1` hits when they post often. For a viewer
 * following 20 users the seeks took 0.23 ms where the walk took 3.4 ms (it read 9,600 rows).
 * Oldest first, both plans are the same read the other way: each author's oldest posts, or the
 * walk from the oldest post on (the same indexes, scanned forwards).
 */
const feedRead = preparedRead((db, { page, shape }: PostPageSql) => {
  const after = afterKeyset(sql`created_at`, sql`id`, page);
  const order = keysetOrder(sql`created_at`, sql`id`, page);
  // The feed's owner is the viewer, the placeholder its flags use too (model/derived.ts).
  const owner = sql.placeholder('viewerId');
  // Counting stops one past the threshold: a viewer following 50,000 people costs what 101 does.
  const fewFollowees = sql`(select count(*) from (select 1 from ${follows} where follower_id = ${owner} limit ${FEED_SEEK_MAX_FOLLOWEES + 1}) f) <= ${FEED_SEEK_MAX_FOLLOWEES}`;
  const candidates = sql`select id from (
      (select newest.id, newest.created_at
        from (select ${owner}::int as author_id union all select followee_id from ${follows} where follower_id = ${owner}) authors
        cross join lateral (
          select id, created_at from ${posts} where author_id = authors.author_id and ${after}
          order by ${order} limit ${pageLimit(page)}) newest
        where ${fewFollowees})
      union all
      (select id, created_at from ${posts}
        where (author_id = ${owner} or author_id in (select followee_id from ${follows} where follower_id = ${owner}))
          and ${after} and not ${fewFollowees}
        order by ${order} limit ${pageLimit(page)})
    ) candidates order by ${order} limit ${pageLimit(page)}`;
  return selectPosts(db, shape)
    .where(sql`${posts.id} in (${candidates})`)
    .orderBy(keysetOrder(posts.createdAt, posts.id, page))
    .limit(pageLimit(page));
});

/** A viewer's home feed (feedRead): their own posts and those of everyone they follow, in the page's order. */
export async function feedPage(db: Db, viewerId: number, args: PageArgs, shape: RowShape = PLAIN_ROWS): Promise<Page<PostRow>> {
  const rows = await feedRead(db, postPageSql(args, shape)).execute({ ...pageValues(args), ...derivedValues(shape), viewerId });
  // With an author, the rows carry it nested (authorColumns): still posts, with one field more.
  return toPage(rows as PostRow[], args);
}

/** One author's page of posts (the author is `lateralParentId`), as the subquery `page`. */
export const authorPostsPage = (db: Db, { page, derived }: { page: PageSql; derived: DerivedSql }) =>
  selectPosts(db, { derived, author: null })
    .where(and(eq(posts.authorId, lateralParentId), afterKeyset(posts.createdAt, posts.id, page)))
    .orderBy(keysetOrder(posts.createdAt, posts.id, page))
    .limit(pageLimit(page))
    .as('page');

const byAuthorRead = lateralRead(authorPostsPage);

/** Each author's posts, in the page's order: one statement for all authors (LIMIT first + 1 each). */
export async function postPagesByAuthors(
  db: Db,
  authorIds: readonly number[],
  args: PageArgs,
  shape: RowShape = PLAIN_ROWS,
): Promise<Map<number, PostRow[]>> {
  // The author is the parent, loaded already: only the derived values are carried.
  const own = { ...shape, author: null };
  const read = byAuthorRead(db, { page: pageSql(args), derived: derivedSql(shape.derived) });
  return lateralPages<PostRow>(read, authorIds, { ...pageValues(args), ...derivedValues(own) });
}

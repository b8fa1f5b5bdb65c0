// All SQL about posts.
import { and, desc, eq, getTableColumns, inArray, or } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { follows, posts, users, type PostRow } from '../db/schema.js';
import { unauthenticated } from '../errors.js';
import { isForeignKeyViolation } from './constraint.js';
import { authorColumns, derivedColumns, nestAuthor, PLAIN_ROWS, type RowShape } from './derived.js';
import { editedAt } from './edited-at.js';
import { afterKeyset, countGroupedBy, inIds, lateralPages, lateralParentId, toPage, type Page, type PageArgs } from './keyset.js';

export function postsByIds(db: Db, ids: readonly number[]): Promise<PostRow[]> {
  return db.select().from(posts).where(inIds(posts.id, ids));
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
function selectPosts(db: Db, shape: RowShape) {
  const query = db
    .select({ ...getTableColumns(posts), ...derivedColumns(posts.id, shape.derived), ...(shape.author ? authorColumns(shape.author) : {}) })
    .from(posts)
    .$dynamic();
  return shape.author ? query.innerJoin(users, eq(users.id, posts.authorId)) : query;
}

const carried = (rows: Record<string, unknown>[], shape: RowShape) => (shape.author ? rows.map((row) => nestAuthor<PostRow>(row)) : (rows as PostRow[]));

/** Every post, newest first. */
export async function postsPage(db: Db, args: PageArgs, shape: RowShape = PLAIN_ROWS): Promise<Page<PostRow>> {
  const rows = await selectPosts(db, shape)
    .where(afterKeyset(posts.createdAt, posts.id, args.after, 'newest-first'))
    .orderBy(desc(posts.createdAt), desc(posts.id))
    .limit(args.first + 1);
  return toPage(carried(rows, shape), args);
}

/**
 * A viewer's home feed: their own posts and those of everyone they follow, newest first. The
 * planner walks posts_created_at_id_idx backwards, keeping rows whose author is in the (hashed)
 * set of followees, so a page stops after `first + 1` hits however many people are followed.
 */
export async function feedPage(db: Db, viewerId: number, args: PageArgs, shape: RowShape = PLAIN_ROWS): Promise<Page<PostRow>> {
  const followees = db.select({ id: follows.followeeId }).from(follows).where(eq(follows.followerId, viewerId));
  const rows = await selectPosts(db, shape)
    .where(
      and(
        or(eq(posts.authorId, viewerId), inArray(posts.authorId, followees)),
        afterKeyset(posts.createdAt, posts.id, args.after, 'newest-first'),
      ),
    )
    .orderBy(desc(posts.createdAt), desc(posts.id))
    .limit(args.first + 1);
  return toPage(carried(rows, shape), args);
}

/** Each author's posts, newest first: one statement for all authors (LIMIT first + 1 each). */
export async function postPagesByAuthors(db: Db, authorIds: readonly number[], args: PageArgs, shape: RowShape = PLAIN_ROWS): Promise<Map<number, PostRow[]>> {
  // The author is the parent, loaded already: only the derived values are carried.
  const page = selectPosts(db, { ...shape, author: null })
    .where(and(eq(posts.authorId, lateralParentId), afterKeyset(posts.createdAt, posts.id, args.after, 'newest-first')))
    .orderBy(desc(posts.createdAt), desc(posts.id))
    .limit(args.first + 1)
    .as('page');
  return lateralPages<PostRow>(db, authorIds, page);
}

export const postsCountsByAuthors = (db: Db, authorIds: readonly number[]) => countGroupedBy(db, posts.authorId, authorIds);

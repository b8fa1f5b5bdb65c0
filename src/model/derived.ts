// Values computed from other tables (counts, the viewer's flags) that a read of posts or users
// can carry along with its rows when the request's selection asks for them. A page of 20 posts
// with their comment and like counts is then one statement, not one for the page and one more
// per count kind; the loaders prime the count loaders with what came back (src/loaders/derived.ts).
import { getTableColumns, getTableName, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { comments, follows, likes, posts, users, type UserRow } from '../db/schema.js';

export const POST_DERIVED = ['commentsCount', 'likesCount', 'viewerHasLiked'] as const;
export const USER_DERIVED = ['followersCount', 'followingCount', 'postsCount', 'viewerIsFollowing'] as const;
export type DerivedName = (typeof POST_DERIVED)[number] | (typeof USER_DERIVED)[number];

/** Which derived values to carry, and whose flags they are (null: anonymous, every flag false). */
export type Derived = { names: readonly DerivedName[]; viewerId: number | null };

export const NO_DERIVED: Derived = { names: [], viewerId: null };

/** `viewer`: the `viewerId` placeholder of a prepared read (db/prepared.ts), or null when anonymous. */
type Expression = (id: SQL, viewer: SQLWrapper | null) => SQL;

/**
 * "table"."column", always: in the select list of a one-table query drizzle leaves columns
 * unqualified, and inside a subquery an unqualified "id" would be the subquery's own.
 */
const qualified = (column: PgColumn): SQL => sql`${sql.identifier(getTableName(column.table))}.${sql.identifier(column.name)}`;

const count =
  (column: PgColumn): Expression =>
  (id) =>
    sql`(select count(*)::int from ${column.table} where ${qualified(column)} = ${id})`;

// Each is a correlated subquery on an index (the same seek the grouped count statement makes per id).
// A flag is "the first matching row, if any" rather than EXISTS: Postgres may turn an EXISTS into
// a hash of every like (or follow) of the viewer, thousands of rows for an active one, where the
// page needs 20 primary-key probes.
const flag = (table: SQL, condition: SQL) => sql`coalesce((select true from ${table} where ${condition} limit 1), false)`;
const EXPRESSIONS: Record<DerivedName, Expression> = {
  commentsCount: count(comments.postId),
  likesCount: count(likes.postId),
  viewerHasLiked: (id, viewer) =>
    viewer === null ? sql`false` : flag(sql`${likes}`, sql`${qualified(likes.postId)} = ${id} and ${qualified(likes.userId)} = ${viewer}`),
  followersCount: count(follows.followeeId),
  followingCount: count(follows.followerId),
  postsCount: count(posts.authorId),
  viewerIsFollowing: (id, viewer) =>
    viewer === null
      ? sql`false`
      : flag(sql`${follows}`, sql`${qualified(follows.followeeId)} = ${id} and ${qualified(follows.followerId)} = ${viewer}`),
};

const snakeCase = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * The select columns of the derived values asked for, on the row whose id is `id`. Aliased (the
 * alias is the snake_case name), as a column of a LATERAL subquery must be. For a prepared read:
 * the viewer is its `viewerId` placeholder (derivedValues), and derivedId is part of its key.
 */
export function derivedColumns(id: PgColumn, derived: Derived, prefix = ''): Record<string, SQL.Aliased> {
  const viewer = derived.viewerId === null ? null : sql.placeholder('viewerId');
  return Object.fromEntries(
    derived.names.map((name) => [prefix + name, EXPRESSIONS[name](qualified(id), viewer).as(snakeCase(prefix + name))]),
  );
}

/** The placeholder of derivedColumns. A request has one viewer: the rows' and their authors' are the same. */
export const derivedValues = (shape: RowShape) => ({ viewerId: shape.derived.viewerId ?? shape.author?.viewerId ?? null });

/**
 * What a read of posts or comments carries besides the rows' own columns: derived values, and
 * the author (joined, with derived values of its own) when the selection asks for `author`.
 */
export type RowShape = { derived: Derived; author: Derived | null };

export const PLAIN_ROWS: RowShape = { derived: NO_DERIVED, author: null };

/**
 * Stable texts for loader keys and prepared reads' keys: which values, and whether there is a
 * viewer (flags are a constant false without one). The viewer is the same for a whole request.
 */
export const derivedId = (derived: Derived): string => `${derived.names.join(',')}${derived.viewerId === null ? '' : '@viewer'}`;
export const shapeId = (shape: RowShape): string =>
  `${derivedId(shape.derived)}|${shape.author ? `author:${derivedId(shape.author)}` : ''}`;

// Two underscores: no column of posts or comments starts so (posts.author_id is the author's id).
const AUTHOR_PREFIX = 'author__';

/** The author's columns and derived values, for a read joined with `users` on the author id. */
export function authorColumns(author: Derived): Record<string, SQL.Aliased> {
  const own = Object.entries(getTableColumns(users)).map(([key, column]) => [
    AUTHOR_PREFIX + key,
    sql`${column}`.mapWith(column).as(AUTHOR_PREFIX + column.name),
  ]);
  return { ...Object.fromEntries(own), ...derivedColumns(users.id, author, AUTHOR_PREFIX) };
}

/** A row read with authorColumns, its author's columns gathered under `author`. */
export function nestAuthor<T>(row: Record<string, unknown>): T & { author: UserRow & Record<string, unknown> } {
  const nested: Record<string, unknown> = {};
  const author: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (key.startsWith(AUTHOR_PREFIX)) author[key.slice(AUTHOR_PREFIX.length)] = value;
    else nested[key] = value;
  }
  nested.author = author;
  return nested as T & { author: UserRow & Record<string, unknown> };
}

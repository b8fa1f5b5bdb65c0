// The derived fields: values of a post or a user computed from other tables (counts, the viewer's
// flags). Each is declared once, here; from its declaration come the subquery a read carries it
// with (model/derived.ts), its loader and the read behind it (loaders/derived.ts,
// model/derived-reads.ts), and its GraphQL field (schema/derived.ts).
import { getTableName, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { comments, follows, likes, posts } from '../db/schema.js';

/** The GraphQL type a derived field belongs to. */
export type Owner = 'Post' | 'User';

/** How many rows of `column`'s table name the owner: an `Int!`, the same for every viewer. */
type Count = { kind: 'count'; owner: Owner; description: string; column: PgColumn };

/**
 * Whether a row (`of` the owner, `by` the viewer) exists: a `Boolean!` that depends on who asks,
 * always false for an anonymous viewer.
 */
type ViewerFlag = { kind: 'viewerFlag'; owner: Owner; description: string; of: PgColumn; by: PgColumn };

export type DerivedField = Count | ViewerFlag;

const count = (owner: Owner, column: PgColumn, description: string) => ({ kind: 'count', owner, column, description }) as const;
const viewerFlag = (owner: Owner, of: PgColumn, by: PgColumn, description: string) =>
  ({ kind: 'viewerFlag', owner, of, by, description }) as const;

export const DERIVED = {
  commentsCount: count('Post', comments.postId, 'How many comments it has.'),
  likesCount: count('Post', likes.postId, 'How many users like it.'),
  viewerHasLiked: viewerFlag('Post', likes.postId, likes.userId, 'Whether the signed-in viewer likes it; false when anonymous.'),
  followersCount: count('User', follows.followeeId, 'How many people follow them.'),
  followingCount: count('User', follows.followerId, 'How many people they follow.'),
  postsCount: count('User', posts.authorId, 'How many posts they have written.'),
  viewerIsFollowing: viewerFlag(
    'User',
    follows.followeeId,
    follows.followerId,
    'Whether the signed-in viewer follows them; false when anonymous.',
  ),
} satisfies Record<string, DerivedField>;

export type DerivedName = keyof typeof DERIVED;
export type CountName = { [N in DerivedName]: (typeof DERIVED)[N]['kind'] extends 'count' ? N : never }[DerivedName];
export type FlagName = Exclude<DerivedName, CountName>;
/** What a derived field resolves to: a count or a flag. */
export type DerivedValue<N extends DerivedName> = N extends CountName ? number : boolean;

export const DERIVED_NAMES = Object.keys(DERIVED) as DerivedName[];

/** The derived fields of `owner`, in the table's order (which is also their order in a select list). */
export const derivedNamesOf = (owner: Owner): readonly DerivedName[] => DERIVED_NAMES.filter((name) => DERIVED[name].owner === owner);

export const isCount = (name: DerivedName): name is CountName => DERIVED[name].kind === 'count';

/**
 * "table"."column", always: in the select list of a one-table query drizzle leaves columns
 * unqualified, and inside a subquery an unqualified "id" would be the subquery's own.
 */
export const qualified = (column: PgColumn): SQL => sql`${sql.identifier(getTableName(column.table))}.${sql.identifier(column.name)}`;

/**
 * The value of `name` for the row whose id is `id`, as a correlated subquery on an index (the same
 * seek the grouped statement of its loader makes per id). `viewer`: the `viewerId` placeholder of
 * a prepared read (db/prepared.ts), or null when anonymous.
 *
 * A flag is "the first matching row, if any" rather than EXISTS: Postgres may turn an EXISTS into
 * a hash of every like (or follow) of the viewer, thousands of rows for an active one, where the
 * page needs 20 primary-key probes.
 */
export function derivedExpression(name: DerivedName, id: SQL, viewer: SQLWrapper | null): SQL {
  const field: DerivedField = DERIVED[name];
  if (field.kind === 'count') return sql`(select count(*)::int from ${field.column.table} where ${qualified(field.column)} = ${id})`;
  if (viewer === null) return sql`false`;
  return sql`coalesce((select true from ${field.of.table} where ${qualified(field.of)} = ${id} and ${qualified(field.by)} = ${viewer} limit 1), false)`;
}

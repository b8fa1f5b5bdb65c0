// Derived values (counts, the viewer's flags: model/derived-fields.ts) that a read of posts or users
// can carry along with its rows when the request's selection asks for them. A page of 20 posts
// with their comment and like counts is then one statement, not one for the page and one more
// per count kind; the loaders prime the count loaders with what came back (src/loaders/derived.ts).
import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { users, type UserRow } from '../db/schema.js';
import { derivedExpression, qualified, type DerivedName } from './derived-fields.js';

/** Which derived values to carry, and whose flags they are (null: anonymous, every flag false). */
export type Derived = { names: readonly DerivedName[]; viewerId: number | null };

export const NO_DERIVED: Derived = { names: [], viewerId: null };

const snakeCase = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * What of a Derived shapes a read's text: which values, and whether there is a viewer (flags are
 * a constant false without one). The viewer's id itself is a placeholder (derivedValues).
 */
export type DerivedSql = { names: readonly DerivedName[]; hasViewer: boolean };
export const derivedSql = (derived: Derived): DerivedSql => ({ names: derived.names, hasViewer: derived.viewerId !== null });

/**
 * The select columns of the derived values asked for, on the row whose id is `id`. Aliased (the
 * alias is the snake_case name, after `aliasPrefix`), as a column of a LATERAL subquery must be.
 * For a prepared read: the viewer is its `viewerId` placeholder (derivedValues).
 */
export function derivedColumns(id: PgColumn, derived: DerivedSql, aliasPrefix = ''): Record<string, SQL.Aliased> {
  const viewer = derived.hasViewer ? sql.placeholder('viewerId') : null;
  return Object.fromEntries(
    derived.names.map((name) => [name, derivedExpression(name, qualified(id), viewer).as(snakeCase(aliasPrefix + name))]),
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

/** What of a RowShape shapes a read's text (see DerivedSql). */
export type ShapeSql = { derived: DerivedSql; author: DerivedSql | null };
export const shapeSql = (shape: RowShape): ShapeSql => ({
  derived: derivedSql(shape.derived),
  author: shape.author && derivedSql(shape.author),
});

/**
 * Stable texts for loader keys: which values, and whether there is a viewer (flags are a
 * constant false without one). The viewer is the same for a whole request.
 */
export const derivedId = (derived: Derived): string => `${derived.names.join(',')}${derived.viewerId === null ? '' : '@viewer'}`;
export const shapeId = (shape: RowShape): string =>
  `${derivedId(shape.derived)}|${shape.author ? `author:${derivedId(shape.author)}` : ''}`;

// Two underscores: no column of posts or comments starts so (posts.author_id is the author's id).
const AUTHOR_PREFIX = 'author__';

/**
 * The author's columns and derived values, for a read joined with `users` on the author id: the
 * rows carry them under `author` (the prepared read's mapper nests them: db/row-mapper.ts). In
 * the statement they are aliased apart from the row's own `id`, `created_at`…, as the columns
 * of a LATERAL subquery must be.
 */
export function authorColumns(author: DerivedSql): { author: Record<string, SQL.Aliased> } {
  const own = Object.entries(getTableColumns(users)).map(([key, column]): [string, SQL.Aliased] => [
    key,
    sql`${column}`.mapWith(column).as(AUTHOR_PREFIX + column.name),
  ]);
  return { author: { ...Object.fromEntries(own), ...derivedColumns(users.id, author, AUTHOR_PREFIX) } };
}

/** A row read with authorColumns: its author under `author`. */
export type AuthorNested = Record<string, unknown> & { author: UserRow & Record<string, unknown> };

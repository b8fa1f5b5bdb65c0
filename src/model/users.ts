// All SQL about users.
import { and, eq, getTableColumns, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { users, type UserRow } from '../db/schema.js';
import { conflict } from '../errors.js';
import { isUniqueViolation } from './constraint.js';
import { preparedRead } from '../db/prepared.js';
import { derivedColumns, derivedSql, derivedValues, PLAIN_ROWS, type DerivedSql, type RowShape } from './derived.js';
import { editedAt } from './edited-at.js';
import { afterKeyset, inIds, keysetOrder, pageLimit, pageSql, pageValues, toPage } from './keyset.js';
import type { Page, PageArgs, PageSql } from './keyset.js';

const byIdsRead = preparedRead((db) => db.select().from(users).where(inIds(users.id)));

/** Users by id; what a read of one user carries besides is model/with-pages.ts's. */
export function usersByIds(db: Db, ids: readonly number[]): Promise<UserRow[]> {
  return byIdsRead(db, {}).execute({ ids });
}

/** The user with this email, ignoring case (served by users_email_key on lower(email)). */
export async function userByEmail(db: Db, email: string): Promise<UserRow | null> {
  const [row] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = lower(${email})`);
  return row ?? null;
}

/**
 * The user, held (FOR KEY SHARE) until the transaction ends, so that they cannot be deleted
 * while a row that refers to them is written; null when there is none.
 */
export async function userForReference(db: Db, id: number): Promise<UserRow | null> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).for('key share');
  return row ?? null;
}

export type NewUser = { name: string; email: string; passwordHash: string };

/** CONFLICT when the email is registered already, in any case. */
export async function createUser(db: Db, user: NewUser): Promise<UserRow> {
  const [row] = await db.insert(users).values(user).returning().catch(mapEmailTaken);
  return row!;
}

/** Changes what is given; null when the user does not exist. CONFLICT when the email is taken. */
export async function updateUser(db: Db, id: number, changes: { name?: string; email?: string }): Promise<UserRow | null> {
  const [row] = await db
    .update(users)
    .set({ ...changes, updatedAt: editedAt(users.updatedAt) })
    .where(eq(users.id, id))
    .returning()
    .catch(mapEmailTaken);
  return row ?? null;
}

/** Their posts, comments, follows and likes go with them (foreign keys cascade). */
export async function deleteUser(db: Db, id: number): Promise<boolean> {
  const rows = await db.delete(users).where(eq(users.id, id)).returning({ id: users.id });
  return rows.length > 0;
}

/** Revokes every token issued until now: tokens carry the version they were issued at. */
export async function advanceTokenVersion(db: Db, id: number): Promise<void> {
  await db
    .update(users)
    .set({ tokenVersion: sql`${users.tokenVersion} + 1` })
    .where(eq(users.id, id));
}

/** Both mutations that write an email take it as `input.email`. */
function mapEmailTaken(error: unknown): never {
  if (!isUniqueViolation(error, 'users_email_key')) throw error;
  const message = 'email is already registered: log in, or use another address.';
  throw conflict(message, [{ field: 'input.email', message }]);
}

const pageRead = preparedRead((db, { page, hasSearch, derived }: { page: PageSql; hasSearch: boolean; derived: DerivedSql }) =>
  db
    .select({ ...getTableColumns(users), ...derivedColumns(users.id, derived) })
    .from(users)
    .where(
      and(hasSearch ? sql`${users.name} ilike ${sql.placeholder('pattern')}` : undefined, afterKeyset(users.createdAt, users.id, page)),
    )
    .orderBy(keysetOrder(users.createdAt, users.id, page))
    .limit(pageLimit(page)),
);

/** In the page's order (the field's: newest first); `search` matches a case-insensitive substring of the name, taken literally. */
export async function usersPage(db: Db, args: PageArgs & { search: string | null }, shape: RowShape = PLAIN_ROWS): Promise<Page<UserRow>> {
  const read = pageRead(db, { page: pageSql(args), hasSearch: args.search !== null, derived: derivedSql(shape.derived) });
  const pattern = args.search === null ? undefined : `%${escapeLike(args.search)}%`;
  const rows = await read.execute({ ...pageValues(args), ...derivedValues(shape), pattern });
  return toPage(rows, args);
}

/** `%`, `_` and `\` in a search are characters to find, not patterns. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

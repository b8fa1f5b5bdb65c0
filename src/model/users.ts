// All SQL about users.
import { and, desc, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { users, type UserRow } from '../db/schema.js';
import { afterKeyset, inIds, toPage, type Page, type PageArgs } from './keyset.js';

export function usersByIds(db: Db, ids: readonly number[]): Promise<UserRow[]> {
  return db.select().from(users).where(inIds(users.id, ids));
}

/** Newest first; `search` matches a case-insensitive substring of the name, taken literally. */
export async function usersPage(db: Db, args: PageArgs & { search: string | null }): Promise<Page<UserRow>> {
  const rows = await db
    .select()
    .from(users)
    .where(
      and(
        args.search ? sql`${users.name} ilike ${`%${escapeLike(args.search)}%`}` : undefined,
        afterKeyset(users.createdAt, users.id, args.after, 'newest-first'),
      ),
    )
    .orderBy(desc(users.createdAt), desc(users.id))
    .limit(args.first + 1);
  return toPage(rows, args);
}

/** `%`, `_` and `\` in a search are characters to find, not patterns. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

// The reads behind the derived fields' loaders (model/derived-fields.ts): each field's values for
// many ids, or many (viewer, id) pairs, in one statement.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { preparedRead } from '../db/prepared.js';
import { DERIVED, type CountName, type FlagName } from './derived-fields.js';
import { inIds } from './keyset.js';

const countRead = preparedRead((db, { name }: { name: CountName }) => {
  const { column } = DERIVED[name];
  return db
    .select({ id: column, count: sql<number>`count(*)::int` })
    .from(column.table)
    .where(inIds(column))
    .groupBy(column);
});

/** How many rows each id has, in one grouped statement; ids with none are absent (count 0). */
export async function countsOf(db: Db, name: CountName, ids: readonly number[]): Promise<Map<number, number>> {
  const rows = await countRead(db, { name }).execute({ ids });
  return new Map(rows.map((row) => [row.id as number, row.count]));
}

const flagRead = preparedRead((db, { name }: { name: FlagName }) => {
  const { of, by } = DERIVED[name];
  return db
    .select({ id: of })
    .from(of.table)
    .where(and(eq(by, sql.placeholder('viewerId')), inIds(of)));
});

/** Which of `ids` have the flag `name` set by this viewer. */
export async function flagsOf(db: Db, name: FlagName, viewerId: number, ids: readonly number[]): Promise<Set<number>> {
  const rows = await flagRead(db, { name }).execute({ viewerId, ids });
  return new Set(rows.map((row) => row.id as number));
}

// A primary-key probe per pair: (viewer, id) is the key of likes and of follows.
const flagPairsRead = preparedRead((db, { name }: { name: FlagName }) => {
  const { of, by } = DERIVED[name];
  return db
    .select({ viewerId: by, id: of })
    .from(sql`unnest(${sql.placeholder('viewerIds')}::int[], ${sql.placeholder('ids')}::int[]) as pair(viewer_id, id)`)
    .innerJoin(of.table, sql`${by} = pair.viewer_id and ${of} = pair.id`);
});

/**
 * Which (viewer, id) pairs have the flag `name` set, for many viewers at once: the flag of every
 * subscriber of one event in one statement. Answers "viewerId:id" strings.
 */
export async function flagPairsOf(db: Db, name: FlagName, pairs: readonly { viewerId: number; id: number }[]): Promise<Set<string>> {
  const rows = await flagPairsRead(db, { name }).execute({ viewerIds: pairs.map((p) => p.viewerId), ids: pairs.map((p) => p.id) });
  return new Set(rows.map((row) => `${row.viewerId as number}:${row.id as number}`));
}

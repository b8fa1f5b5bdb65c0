// Two-column keys (likes: user and post; follows: follower and followee) probed for many pairs at
// once: what every subscriber of one event has liked or follows, in one statement.
import { sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client.js';

/**
 * Which (viewer, id) pairs exist as rows of a two-column key (`viewerColumn`, `idColumn`), for
 * many pairs in one statement: a primary-key probe per pair. Answers "viewerId:id" strings.
 */
export async function existingPairs(
  db: Db,
  viewerColumn: PgColumn,
  idColumn: PgColumn,
  pairs: readonly { viewerId: number; id: number }[],
): Promise<Set<string>> {
  const rows = await db
    .select({ viewerId: viewerColumn, id: idColumn })
    .from(sql`unnest(${sql.param(pairs.map((p) => p.viewerId))}::int[], ${sql.param(pairs.map((p) => p.id))}::int[]) as pair(viewer_id, id)`)
    .innerJoin(viewerColumn.table, sql`${viewerColumn} = pair.viewer_id and ${idColumn} = pair.id`);
  return new Set(rows.map((row) => `${row.viewerId}:${row.id}`));
}

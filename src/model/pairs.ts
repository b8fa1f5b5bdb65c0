// Two-column keys (likes: user and post; follows: follower and followee) probed for many pairs at
// once: what every subscriber of one event has liked or follows, in one statement.
import { getTableName, sql, type ColumnBaseConfig } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client.js';
import { prepared } from '../db/prepared.js';

/** An int4 column: its values come back as numbers. */
type IntColumn = PgColumn<ColumnBaseConfig<'number', string> & { data: number }>;

/**
 * Which (viewer, id) pairs exist as rows of a two-column key (`viewerColumn`, `idColumn`), for
 * many pairs in one statement: a primary-key probe per pair. Answers "viewerId:id" strings.
 */
export async function existingPairs(
  db: Db,
  viewerColumn: IntColumn,
  idColumn: IntColumn,
  pairs: readonly { viewerId: number; id: number }[],
): Promise<Set<string>> {
  const read = prepared(db, `pairs:${getTableName(viewerColumn.table)}.${viewerColumn.name}.${idColumn.name}`, () =>
    db
      .select({ viewerId: viewerColumn, id: idColumn })
      .from(sql`unnest(${sql.placeholder('viewerIds')}::int[], ${sql.placeholder('ids')}::int[]) as pair(viewer_id, id)`)
      .innerJoin(viewerColumn.table, sql`${viewerColumn} = pair.viewer_id and ${idColumn} = pair.id`),
  );
  const rows = await read.execute({ viewerIds: pairs.map((p) => p.viewerId), ids: pairs.map((p) => p.id) });
  return new Set(rows.map((row) => `${row.viewerId}:${row.id}`));
}

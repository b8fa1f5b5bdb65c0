// One INSERT … SELECT FROM unnest(…) per batch: each column travels as ONE array parameter, so
// a 10,000-row batch is a single short statement with five parameters, parsed and planned once,
// the same on pg and PGlite. (A multi-row VALUES list would need a parameter per cell and hits
// the 65,535-parameter limit at a few thousand rows.)
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { Batch } from './batch.js';

/** Times travel as epoch milliseconds (bigint), exact and independent of the session time zone. */
const at = sql.raw(`timestamptz 'epoch' + ms * interval '1 millisecond'`);

/** `${values}::int[]`: a JS array as one parameter (a bare array would expand into a list). */
const ints = (values: number[]) => sql`${sql.param(values)}::int[]`;
const texts = (values: string[]) => sql`${sql.param(values)}::text[]`;
const millis = (values: number[]) => sql`${sql.param(values)}::bigint[]`;

/** `passwordHash`: one hash shared by every seeded user (argon2 per row would take minutes). */
export async function insertBatch(db: Db, batch: Batch, passwordHash: string): Promise<void> {
  await db.execute(insertStatement(batch, passwordHash));
}

function insertStatement(batch: Batch, passwordHash: string): SQL {
  switch (batch.table) {
    case 'users':
      return sql`insert into users (id, name, email, password_hash, created_at, updated_at)
        select id, name, email, ${passwordHash}, ${at}, ${at}
        from unnest(${ints(batch.id)}, ${texts(batch.name)}, ${texts(batch.email)}, ${millis(batch.createdAt)}) as r(id, name, email, ms)`;
    case 'posts':
      return sql`insert into posts (id, author_id, title, content, created_at, updated_at)
        select id, author_id, title, content, ${at}, ${at}
        from unnest(${ints(batch.id)}, ${ints(batch.authorId)}, ${texts(batch.title)}, ${texts(batch.content)}, ${millis(batch.createdAt)})
          as r(id, author_id, title, content, ms)`;
    case 'comments':
      return sql`insert into comments (id, post_id, author_id, body, created_at)
        select id, post_id, author_id, body, ${at}
        from unnest(${ints(batch.id)}, ${ints(batch.postId)}, ${ints(batch.authorId)}, ${texts(batch.body)}, ${millis(batch.createdAt)})
          as r(id, post_id, author_id, body, ms)`;
    case 'follows':
      return sql`insert into follows (follower_id, followee_id, created_at)
        select follower_id, followee_id, ${at}
        from unnest(${ints(batch.followerId)}, ${ints(batch.followeeId)}, ${millis(batch.createdAt)}) as r(follower_id, followee_id, ms)`;
    case 'likes':
      return sql`insert into likes (user_id, post_id, created_at)
        select user_id, post_id, ${at}
        from unnest(${ints(batch.userId)}, ${ints(batch.postId)}, ${millis(batch.createdAt)}) as r(user_id, post_id, ms)`;
  }
}

/** Rows in a batch (every column array has one entry per row). */
export function batchRowCount(batch: Batch): number {
  return batch.createdAt.length;
}

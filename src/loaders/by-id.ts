// Loaders of one row by primary key. A batch is one `id = any($ids)` statement; ids that do not
// exist resolve to null (a read of a missing id is null, not an error).
import DataLoader from 'dataloader';
import { observed } from './observed.js';
import type { Db } from '../db/client.js';
import type { CommentRow, PostRow, UserRow } from '../db/schema.js';
import { commentsByIds } from '../model/comments.js';
import { postsByIds } from '../model/posts.js';
import { usersByIds } from '../model/users.js';
import type { LoaderOptions } from './options.js';
import { recordIds, recordRows, type EntityType, type ReadLog, type RowOf } from '../cache/tags.js';

function byId<E extends EntityType, T extends RowOf[E]>(type: E, fetch: (db: Db, ids: readonly number[]) => Promise<T[]>) {
  return (db: Db, options: LoaderOptions, reads: ReadLog) =>
    new DataLoader<number, T | null>(
      observed(`${type.toLowerCase()}ById`, db, async (ids) => {
        recordIds(reads, type, ids);
        const found = await fetch(db, ids);
        recordRows(reads, type, found);
        const rows = new Map(found.map((row) => [row.id, row]));
        return ids.map((id) => rows.get(id) ?? null);
      }),
      options,
    );
}

export const userById = byId<'User', UserRow>('User', usersByIds);
export const postById = byId<'Post', PostRow>('Post', postsByIds);
export const commentById = byId<'Comment', CommentRow>('Comment', commentsByIds);

// Loaders of one row by primary key. A batch is one `id = any($ids)` statement; ids that do not
// exist resolve to null (a read of a missing id is null, not an error).
import DataLoader from 'dataloader';
import type { Db } from '../db/client.js';
import type { CommentRow, PostRow, UserRow } from '../db/schema.js';
import { commentsByIds } from '../model/comments.js';
import { postsByIds } from '../model/posts.js';
import { usersByIds } from '../model/users.js';
import type { LoaderOptions } from './options.js';

function byId<T extends { id: number }>(fetch: (db: Db, ids: readonly number[]) => Promise<T[]>) {
  return (db: Db, options: LoaderOptions) =>
    new DataLoader<number, T | null>(async (ids) => {
      const rows = new Map((await fetch(db, ids)).map((row) => [row.id, row]));
      return ids.map((id) => rows.get(id) ?? null);
    }, options);
}

export const userById = byId<UserRow>(usersByIds);
export const postById = byId<PostRow>(postsByIds);
export const commentById = byId<CommentRow>(commentsByIds);

// Loaders of one row by primary key. A batch is one `id = any($ids)` statement; ids that do not
// exist resolve to null (a read of a missing id is null, not an error).
import DataLoader from 'dataloader';
import type { Db } from '../db/client.js';
import type { CommentRow, PostRow, UserRow } from '../db/schema.js';
import { commentsByIds } from '../model/comments.js';
import { postsByIds } from '../model/posts.js';
import { usersByIds } from '../model/users.js';
import { derivedId, type Derived } from '../model/derived.js';
import type { LoaderOptions } from './options.js';
import type { Prime } from './pages.js';

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

/** A user, with the derived values (counts, flags) a selection asks for: see model/derived.ts. */
export type CarryingKey = { id: number; derived: Derived };

/**
 * Users by id carrying derived values: one statement per distinct set of values asked for, whose
 * rows prime userById and the count and flag loaders (`prime`).
 */
export const userCarryingById = (db: Db, options: LoaderOptions, prime: Prime) =>
  new DataLoader<CarryingKey, UserRow | null, string>(
    async (keys) => {
      const rows = new Map<string, UserRow>();
      const groups = new Map<string, CarryingKey[]>();
      for (const key of keys) {
        const group = groups.get(derivedId(key.derived));
        if (group) group.push(key);
        else groups.set(derivedId(key.derived), [key]);
      }
      await Promise.all(
        [...groups].map(async ([id, group]) => {
          const found = await usersByIds(
            db,
            group.map((key) => key.id),
            group[0]!.derived,
          );
          prime(found);
          for (const row of found) rows.set(`${row.id}|${id}`, row);
        }),
      );
      return keys.map((key) => rows.get(`${key.id}|${derivedId(key.derived)}`) ?? null);
    },
    { ...options, cacheKeyFn: (key) => `${key.id}|${derivedId(key.derived)}` },
  );

// Count loaders: one grouped statement per count kind per request, whatever the page size.
import DataLoader from 'dataloader';
import { observed } from './observed.js';
import type { Db } from '../db/client.js';
import { DERIVED, type CountName } from '../model/derived-fields.js';
import { recordIds, type ReadLog } from '../cache/tags.js';
import { countsOf } from '../model/derived-reads.js';
import type { LoaderOptions } from './options.js';

/** The count `name` (model/derived-fields.ts) of posts or users by id; 0 for an id with none. */
export const countLoader = (db: Db, name: CountName, options: LoaderOptions, reads: ReadLog) =>
  new DataLoader<number, number>(
    observed(`count:${name}`, db, async (ids) => {
      recordIds(reads, DERIVED[name].owner, ids);
      const counts = await countsOf(db, name, ids);
      return ids.map((id) => counts.get(id) ?? 0);
    }),
    options,
  );

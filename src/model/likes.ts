// All SQL about likes.
import type { Db } from '../db/client.js';
import { likes } from '../db/schema.js';
import { countGroupedBy } from './keyset.js';

export const likesCountsByPosts = (db: Db, postIds: readonly number[]) => countGroupedBy(db, likes.postId, postIds);

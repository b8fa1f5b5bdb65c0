// The shapes the seed generators hand around: batches of column arrays and what later tables
// need to know about earlier ones. Kept apart from generate.ts so that relations.ts, which
// generate.ts calls, can use them without importing its caller.
import type { SeedSizes } from './options.js';

export type Batch =
  | { table: 'users'; id: number[]; name: string[]; email: string[]; createdAt: number[] }
  | { table: 'posts'; id: number[]; authorId: number[]; title: string[]; content: string[]; createdAt: number[] }
  | { table: 'comments'; id: number[]; postId: number[]; authorId: number[]; body: string[]; createdAt: number[] }
  | { table: 'follows'; followerId: number[]; followeeId: number[]; createdAt: number[] }
  | { table: 'likes'; userId: number[]; postId: number[]; createdAt: number[] };

/** The largest id already taken in each table: new rows get base + 1, base + 2, … */
export type IdBases = { users: number; posts: number; comments: number };

/** What later tables need to know about earlier ones (indexes are 0-based, ids are base + 1 + index). */
export type World = { sizes: SeedSizes; seed: number; nowMs: number; bases: IdBases; signups: Float64Array; postTimes: Float64Array };

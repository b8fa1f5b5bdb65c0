// What a seed run creates: the sizes, the seed and the reference time, and the row counts they
// imply. Shared by the CLI (src/scripts/seed.ts) and the demo seed (demo.ts).

export const TABLES = ['users', 'posts', 'comments', 'follows', 'likes'] as const;

/** Every seeded user can log in with this password (demo and bench accounts, never real ones). */
export const SEEDED_USER_PASSWORD = 'demo-password';
export type TableName = (typeof TABLES)[number];

export type SeedSizes = {
  users: number;
  postsPerUser: number;
  commentsPerPost: number;
  /** Distinct other users each user follows; at most users − 1. */
  followsPerUser: number;
  /** Distinct users who like each post; at most users. */
  likesPerPost: number;
};

export type SeedOptions = SeedSizes & {
  /** Same seed, same sizes and same `now` on an empty database → the same rows, byte for byte. */
  seed: number;
  /** Every timestamp falls in the year before this instant, none after it. */
  now: Date;
};

/** The sizes a run really uses: follows and likes need distinct partners, so the user count caps them. */
export function clampSizes(sizes: SeedSizes): SeedSizes {
  return {
    ...sizes,
    followsPerUser: Math.min(sizes.followsPerUser, Math.max(sizes.users - 1, 0)),
    likesPerPost: Math.min(sizes.likesPerPost, sizes.users),
  };
}

export function rowCounts(sizes: SeedSizes): Record<TableName, number> {
  const { users, postsPerUser, commentsPerPost, followsPerUser, likesPerPost } = clampSizes(sizes);
  const posts = users * postsPerUser;
  return { users, posts, comments: posts * commentsPerPost, follows: users * followsPerUser, likes: posts * likesPerPost };
}

/** The default reference time: the start of the current UTC day, so a day's runs agree. */
export function startOfUtcDay(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
}

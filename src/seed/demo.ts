// The first start on an empty embedded database seeds a small demo graph, so GraphiQL has
// something to show. Never on a shared Postgres (DATABASE_URL): that data belongs to someone.
import type { Database } from '../db/client.js';
import { users } from '../db/schema.js';
import type { Log } from '../log.js';
import { startOfUtcDay, type SeedOptions } from './options.js';

/** @default 50 users × 5 posts, 3 comments and 4 likes a post, 10 follows a user: ~2,500 rows, well under a second. */
export const DEMO_SIZES = { users: 50, postsPerUser: 5, commentsPerPost: 3, followsPerUser: 10, likesPerPost: 4 } as const;

export async function seedDemoIfEmpty(database: Database, log: Log): Promise<void> {
  if (database.driver !== 'pglite') return;
  const { db } = database;
  const [anyUser] = await db.select({ id: users.id }).from(users).limit(1);
  if (anyUser) return;
  const options: SeedOptions = { ...DEMO_SIZES, seed: 42, now: startOfUtcDay(new Date()) };
  // Imported only when needed: the generator's text corpus (faker) costs every server ~35 MB
  // of memory and a quarter second of start-up that a seeded database never uses.
  const { runSeed } = await import('./run.js');
  const result = await runSeed(db, options);
  log.info(
    { rows: result.counts, totalRows: result.totalRows, ms: Math.round(result.seconds * 1000) },
    `empty database: seeded a demo graph of ${result.counts.users} users and ${result.counts.posts} posts (npm run seed for more)`,
  );
}

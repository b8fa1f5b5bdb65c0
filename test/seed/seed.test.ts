// The seed: exact sizes, the same rows for the same seed, a graph that obeys the schema's rules
// and time's arrow, served by the real API; and the CLI as a user runs it.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql, type SQL } from 'drizzle-orm';
import { beforeAll, describe, expect, test } from 'vitest';
import { createLog } from '../../src/log.js';
import { DEMO_SIZES, seedDemoIfEmpty } from '../../src/seed/demo.js';
import { generateBatches } from '../../src/seed/generate.js';
import { rowCounts, type SeedOptions } from '../../src/seed/options.js';
import { runSeed } from '../../src/seed/run.js';
import { given } from '../support/given.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase } from '../support/test-database.js';

const NOW = new Date('2026-01-01T00:00:00.000Z');
const YEAR_MS = 365 * 24 * 3_600_000;
const SMALL: SeedOptions = { users: 30, postsPerUser: 4, commentsPerPost: 3, followsPerUser: 6, likesPerPost: 5, seed: 7, now: NOW };

async function rows<T>(app: TestApp, query: SQL): Promise<T[]> {
  return ((await app.database.db.execute(query)) as { rows: T[] }).rows;
}

async function tableCounts(app: TestApp) {
  const [counts] = await rows<Record<string, number>>(
    app,
    sql`select
    (select count(*)::int from users) as users, (select count(*)::int from posts) as posts,
    (select count(*)::int from comments) as comments, (select count(*)::int from follows) as follows,
    (select count(*)::int from likes) as likes`,
  );
  return counts;
}

/** Every column of every table, in key order, as one digest per table. */
async function digests(app: TestApp) {
  const ms = (column: string) => sql.raw(`(extract(epoch from ${column}) * 1000)::bigint`);
  const [digest] = await rows<Record<string, string>>(
    app,
    sql`select
    (select md5(string_agg(concat_ws('|', id, name, email, ${ms('created_at')}, ${ms('updated_at')}), ',' order by id)) from users) as users,
    (select md5(string_agg(concat_ws('|', id, author_id, title, content, ${ms('created_at')}, ${ms('updated_at')}), ',' order by id)) from posts) as posts,
    (select md5(string_agg(concat_ws('|', id, post_id, author_id, body, ${ms('created_at')}), ',' order by id)) from comments) as comments,
    (select md5(string_agg(concat_ws('|', follower_id, followee_id, ${ms('created_at')}), ',' order by follower_id, followee_id)) from follows) as follows,
    (select md5(string_agg(concat_ws('|', user_id, post_id, ${ms('created_at')}), ',' order by user_id, post_id)) from likes) as likes`,
  );
  return digest;
}

describe('a seeded database', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
    await runSeed(app.database.db, SMALL);
  });

  test('has exactly the rows the sizes ask for, with ids from 1', async () => {
    expect(await tableCounts(app)).toEqual({ users: 30, posts: 120, comments: 360, follows: 180, likes: 600 });
    const [ids] = await rows(
      app,
      sql`select (select min(id) from users) as "minUser", (select max(id) from users) as "maxUser",
      (select max(id) from posts) as "maxPost", (select max(id) from comments) as "maxComment"`,
    );
    expect(ids).toEqual({ minUser: 1, maxUser: 30, maxPost: 120, maxComment: 360 });
  });

  test('has no self-follows, duplicate pairs, orphans or duplicate emails', async () => {
    const [problems] = await rows(
      app,
      sql`select
      (select count(*)::int from follows where follower_id = followee_id) as "selfFollows",
      (select count(*)::int from (select 1 from follows group by follower_id, followee_id having count(*) > 1) d) as "duplicateFollows",
      (select count(*)::int from (select 1 from likes group by user_id, post_id having count(*) > 1) d) as "duplicateLikes",
      (select count(*)::int from (select 1 from users group by lower(email) having count(*) > 1) d) as "duplicateEmails",
      (select count(*)::int from posts p left join users u on u.id = p.author_id where u.id is null) as "orphanPosts",
      (select count(*)::int from comments c left join posts p on p.id = c.post_id left join users u on u.id = c.author_id
        where p.id is null or u.id is null) as "orphanComments",
      (select count(*)::int from follows f left join users a on a.id = f.follower_id left join users b on b.id = f.followee_id
        where a.id is null or b.id is null) as "orphanFollows",
      (select count(*)::int from likes l left join users u on u.id = l.user_id left join posts p on p.id = l.post_id
        where u.id is null or p.id is null) as "orphanLikes"`,
    );
    expect(problems).toEqual({
      selfFollows: 0,
      duplicateFollows: 0,
      duplicateLikes: 0,
      duplicateEmails: 0,
      orphanPosts: 0,
      orphanComments: 0,
      orphanFollows: 0,
      orphanLikes: 0,
    });
  });

  test('runs forward in time: everything after what it depends on, within the year before now', async () => {
    const [late] = await rows(
      app,
      sql`select
      (select count(*)::int from posts p join users u on u.id = p.author_id where p.created_at <= u.created_at) as "postsBeforeAuthor",
      (select count(*)::int from comments c join posts p on p.id = c.post_id join users u on u.id = c.author_id
        where c.created_at <= p.created_at or c.created_at <= u.created_at) as "commentsTooEarly",
      (select count(*)::int from follows f join users a on a.id = f.follower_id join users b on b.id = f.followee_id
        where f.created_at <= a.created_at or f.created_at <= b.created_at) as "followsTooEarly",
      (select count(*)::int from likes l join posts p on p.id = l.post_id join users u on u.id = l.user_id
        where l.created_at <= p.created_at or l.created_at <= u.created_at) as "likesTooEarly",
      (select count(*)::int from posts where updated_at <> created_at) as "editedPosts"`,
    );
    expect(late).toEqual({ postsBeforeAuthor: 0, commentsTooEarly: 0, followsTooEarly: 0, likesTooEarly: 0, editedPosts: 0 });

    const [range] = await rows<{ oldest: number; newest: number }>(
      app,
      sql`select
      (extract(epoch from min(at)) * 1000)::float8 as oldest, (extract(epoch from max(at)) * 1000)::float8 as newest from (
        select created_at as at from users union all select created_at from posts union all select created_at from comments
        union all select created_at from follows union all select created_at from likes) t`,
    );
    expect(range!.oldest).toBeGreaterThanOrEqual(NOW.getTime() - YEAR_MS);
    expect(range!.newest).toBeLessThanOrEqual(NOW.getTime());
  });

  test('has text within the API limits', async () => {
    const [lengths] = await rows(
      app,
      sql`select
      (select min(length(name)) >= 1 and max(length(name)) <= 100 from users) as names,
      (select min(length(title)) >= 1 and max(length(title)) <= 200 from posts) as titles,
      (select min(length(content)) >= 1 and max(length(content)) <= 20000 from posts) as contents,
      (select min(length(body)) >= 1 and max(length(body)) <= 5000 from comments) as bodies,
      (select count(*)::int from posts where content ilike '%lorem%') as "loremPosts"`,
    );
    expect(lengths).toEqual({ names: true, titles: true, contents: true, bodies: true, loremPosts: 0 });
  });

  test('is the same on another empty database seeded alike', async () => {
    const twin = await startTestApp();
    await runSeed(twin.database.db, SMALL);
    expect(await digests(twin)).toEqual(await digests(app));
  });

  test('is served by the API', async () => {
    const res = await app.query(`{ posts(first: 3) { edges { node {
      title content createdAt commentsCount likesCount author { name postsCount followingCount }
      comments(first: 5) { edges { node { body author { name } } } }
    } } } }`);
    expect(res.errors).toBeUndefined();
    const posts = res.data.posts.edges.map((edge: any) => edge.node);
    expect(posts).toHaveLength(3);
    for (const post of posts) {
      expect(post.title.length).toBeGreaterThan(0);
      expect(post).toMatchObject({ commentsCount: 3, likesCount: 5, author: { postsCount: 4, followingCount: 6 } });
      expect(post.comments.edges).toHaveLength(3);
      expect(Date.parse(post.createdAt)).toBeLessThanOrEqual(NOW.getTime());
    }
  });
});

test('another seed gives other rows in every table', () => {
  const firstRows = (options: SeedOptions) => {
    const byTable = new Map<string, unknown>();
    for (const batch of generateBatches(options, { users: 0, posts: 0, comments: 0 }, 1000))
      if (!byTable.has(batch.table)) byTable.set(batch.table, batch);
    return byTable;
  };
  const seven = firstRows(SMALL);
  const eight = firstRows({ ...SMALL, seed: 8 });
  expect([...seven.keys()]).toEqual(['users', 'posts', 'comments', 'follows', 'likes']);
  for (const [table, batch] of seven) expect(eight.get(table), table).not.toEqual(batch);
  expect(firstRows(SMALL)).toEqual(seven);
});

test('seeding a database that has rows continues after its ids, and the app continues after the seed', async () => {
  const app = await startTestApp();
  const alice = await given(app).user({ name: 'Alice' });
  await given(app).post({ by: alice });
  const result = await runSeed(app.database.db, { ...SMALL, users: 5, postsPerUser: 1 });
  expect(result.bases).toEqual({ users: 1, posts: 1, comments: 0 });
  expect(await tableCounts(app)).toEqual({ users: 6, posts: 6, comments: 15, follows: 20, likes: 25 });
  // follows-per-user and likes-per-post were capped by the 5 users: 4 follows each, 5 likes each.
  expect(result.counts).toEqual(rowCounts({ ...SMALL, users: 5, postsPerUser: 1 }));

  const bob = await given(app).user({ name: 'Bob' });
  const post = await given(app).post({ by: bob });
  const comment = await given(app).comment({ on: post, by: bob });
  expect([bob.id, post.id, comment.id]).toEqual([7, 7, 16]);
});

test('the demo seed fills an empty embedded database once, and never a Postgres one', async () => {
  const app = await startTestApp();
  const log = createLog('silent');
  await seedDemoIfEmpty(app.database, log);
  const expected = app.database.driver === 'pglite' ? rowCounts(DEMO_SIZES) : { users: 0, posts: 0, comments: 0, follows: 0, likes: 0 };
  expect(await tableCounts(app)).toEqual(expected);
  await seedDemoIfEmpty(app.database, log);
  expect(await tableCounts(app)).toEqual(expected);
});

describe.concurrent('the seed CLI', () => {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const cli = (args: string[], env: Record<string, string> = {}) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/scripts/seed.ts', ...args], {
      cwd: root,
      // The test database's DATA_DIR / DATABASE_URL replace whatever this process has.
      env: { ...process.env, DATABASE_URL: '', ...env },
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: unknown) => {
        // execFile rejects with the exit code and both outputs on the error.
        const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
        return { code, stdout, stderr };
      },
    );

  test('seeds the configured database and prints a summary', { timeout: 90_000 }, async () => {
    const database = await createTestDatabase();
    try {
      const run = await cli(
        [
          '--users',
          '20',
          '--posts-per-user',
          '2',
          '--comments-per-post',
          '1',
          '--follows-per-user',
          '3',
          '--likes-per-post',
          '2',
          '--seed',
          '5',
        ],
        database.env,
      );
      expect(run.stderr).not.toMatch(/failed/);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(
        /^seeded users=20 posts=40 comments=40 follows=60 likes=80 total=240 rows in [\d.]+ s \(\d+ rows\/s\) on (pg|pglite)\n$/,
      );
    } finally {
      await database.drop();
    }
  });

  test('refuses bad flags with a message, before touching any database', async () => {
    const run = await cli(['--users', 'many', '--likes-per-post=-3', '--now', 'yesterday', '--seed', '1.5']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--users must be a whole number from 1');
    expect(run.stderr).toContain('--likes-per-post must be a whole number from 0');
    expect(run.stderr).toContain('--seed must be a whole number from 0');
    expect(run.stderr).toContain('--now must be an ISO 8601 date');
    const typo = await cli(['--user', '5']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("Unknown option '--user'");
  });

  test('--help prints the usage', async () => {
    const run = await cli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--follows-per-user N');
  });
});

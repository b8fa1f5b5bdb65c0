// The seed CLI's flags: parsed and checked in one go, every problem reported at once.
import { parseArgs } from 'node:util';
import { TABLES, rowCounts, startOfUtcDay, type SeedOptions, type TableName } from './options.js';

/** @default 20,000,000 rows per table: keeps the in-memory timelines under a gigabyte. */
const MAX_TABLE_ROWS = 20_000_000;

export class SeedFlagError extends Error {
  override name = 'SeedFlagError';
}

export const USAGE = `Usage: npm run seed -- [flags]

Seeds the database the server would use (DATABASE_URL, else the embedded one under DATA_DIR)
with users, posts, comments, follows and likes. Runs the migrations first. Deterministic: the
same flags on an empty database give the same rows, ids and timestamps.

  --users N              users to create (default 1000)
  --posts-per-user N     posts each user writes (default 10)
  --comments-per-post N  comments on each post (default 3)
  --follows-per-user N   distinct users each user follows (default 20; at most users - 1)
  --likes-per-post N     distinct users who like each post (default 5; at most users)
  --seed S               random seed, 0..4294967295 (default 42)
  --now ISO              reference time: every timestamp falls in the year before it
                         (default: the start of the current UTC day)
  -h, --help             print this and exit
`;

const INT_FLAGS = {
  users: { name: 'users', fallback: 1000, min: 1, max: MAX_TABLE_ROWS },
  postsPerUser: { name: 'posts-per-user', fallback: 10, min: 0, max: 10_000 },
  commentsPerPost: { name: 'comments-per-post', fallback: 3, min: 0, max: 10_000 },
  followsPerUser: { name: 'follows-per-user', fallback: 20, min: 0, max: MAX_TABLE_ROWS },
  likesPerPost: { name: 'likes-per-post', fallback: 5, min: 0, max: MAX_TABLE_ROWS },
  seed: { name: 'seed', fallback: 42, min: 0, max: 4_294_967_295 },
} as const;

type IntFlag = keyof typeof INT_FLAGS;

/** null when --help was asked for; throws SeedFlagError listing every problem otherwise. */
export function parseSeedFlags(argv: string[], now: Date = new Date()): SeedOptions | null {
  let values: Record<string, string | boolean | undefined>;
  try {
    const flagOptions = Object.fromEntries(Object.values(INT_FLAGS).map((flag) => [flag.name, { type: 'string' as const }]));
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: { ...flagOptions, now: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (error) {
    // parseArgs names the flag: "Unknown option '--user'", "Option '--users <value>' argument missing".
    throw new SeedFlagError((error as Error).message);
  }
  if (values.help) return null;

  const problems: string[] = [];
  const int = (key: IntFlag): number => {
    const { name, fallback, min, max } = INT_FLAGS[key];
    const raw = values[name];
    if (typeof raw !== 'string') return fallback;
    const value = /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max)
      problems.push(`--${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
    return value;
  };
  const options = {
    users: int('users'),
    postsPerUser: int('postsPerUser'),
    commentsPerPost: int('commentsPerPost'),
    followsPerUser: int('followsPerUser'),
    likesPerPost: int('likesPerPost'),
    seed: int('seed'),
    now: parseNow(values.now, now, problems),
  };
  if (problems.length === 0) problems.push(...sizeProblems(options));
  if (problems.length > 0) throw new SeedFlagError(problems.join('\n'));
  return options;
}

function parseNow(raw: string | boolean | undefined, now: Date, problems: string[]): Date {
  if (typeof raw !== 'string') return startOfUtcDay(now);
  // A time needs Z or an offset: without one, JS would read it in the machine's time zone.
  const isIso = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/.test(raw);
  const at = isIso ? new Date(raw) : new Date(NaN);
  if (Number.isNaN(at.getTime()))
    problems.push(`--now must be an ISO 8601 date, or a time with Z or an offset, e.g. 2026-01-31T00:00:00Z (got "${raw}")`);
  return at;
}

/** Which flags make each table's size, for the message when it is too big. */
const SIZE_FLAGS: Record<TableName, string> = {
  users: '--users',
  posts: '--users × --posts-per-user',
  comments: '--users × --posts-per-user × --comments-per-post',
  follows: '--users × --follows-per-user',
  likes: '--users × --posts-per-user × --likes-per-post',
};

/** Table sizes, checked once each flag is valid on its own. */
function sizeProblems(options: SeedOptions): string[] {
  const counts = rowCounts(options);
  return TABLES.filter((table) => counts[table] > MAX_TABLE_ROWS).map(
    (table) => `${SIZE_FLAGS[table]} must make at most ${MAX_TABLE_ROWS} ${table} (got ${counts[table]})`,
  );
}

// The bench's own database, seeded with the project's seed command. A marker table records the
// seed arguments, so that a rerun on the same dataset skips the seed, and any other content
// (another seed, a half-finished one, rows a run added) is dropped and seeded afresh.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const ROOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The shape issue 5 asks for. */
export const DATASET = { users: 10_000, postsPerUser: 10, commentsPerPost: 3, followsPerUser: 20, likesPerPost: 5, seed: 42 };
const SEED_ARGS = [
  '--users',
  DATASET.users,
  '--posts-per-user',
  DATASET.postsPerUser,
  '--comments-per-post',
  DATASET.commentsPerPost,
  '--follows-per-user',
  DATASET.followsPerUser,
  '--likes-per-post',
  DATASET.likesPerPost,
  '--seed',
  DATASET.seed,
].map(String);
const MARKER = SEED_ARGS.join(' ');

/** Makes sure `databaseUrl` holds exactly the bench dataset; returns whether it had to seed. */
export async function ensureDataset(databaseUrl) {
  if (await hasMarker(databaseUrl)) return false;
  await recreateDatabase(databaseUrl);
  await run('npm', ['run', '--silent', 'seed', '--', ...SEED_ARGS], { ...process.env, DATABASE_URL: databaseUrl });
  await withClient(databaseUrl, async (client) => {
    await client.query('create table bench_dataset (seed_args text not null, seeded_at timestamptz not null default now())');
    await client.query('insert into bench_dataset (seed_args) values ($1)', [MARKER]);
    // Fresh statistics and visibility map, as autovacuum would leave a table that has settled:
    // the plans of the first round match the later ones, and index-only scans stay index-only.
    await client.query('vacuum analyze');
  });
  return true;
}

async function hasMarker(databaseUrl) {
  try {
    return await withClient(databaseUrl, async (client) => {
      const { rows } = await client.query("select to_regclass('bench_dataset') is not null as present");
      if (!rows[0].present) return false;
      const marker = await client.query('select seed_args from bench_dataset');
      return marker.rows.length === 1 && marker.rows[0].seed_args === MARKER;
    });
  } catch (error) {
    if (error.code === '3D000') return false; // no such database yet
    throw error;
  }
}

// Through the maintenance database `postgres` on the same server.
async function recreateDatabase(databaseUrl) {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  await withClient(url.href, async (client) => {
    const quoted = `"${name.replaceAll('"', '""')}"`;
    await client.query(`drop database if exists ${quoted}`);
    await client.query(`create database ${quoted}`);
  });
}

export async function withClient(databaseUrl, use) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

function run(command, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT_DIR, env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
  });
}

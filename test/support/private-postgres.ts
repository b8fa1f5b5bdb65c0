// A Postgres server of the test's own (initdb into a temporary directory, on a free port, trust
// auth), for tests that stop or restart the database: never the shared server other tests use.
// Every instance still running when the file's tests are done is stopped and removed (afterAll).
import { execFile, execFileSync } from 'node:child_process';
import { accessSync, constants, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll } from 'vitest';
import { freePort } from './child-server.js';

export type PrivatePostgres = {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  /** A fast shutdown: Postgres ends every session (57P01) and stops accepting. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it for good and removes its directory. */
  destroy(): Promise<void>;
};

/** initdb refuses to run as root: as root, the cluster belongs to this account instead. */
const SERVICE_ACCOUNT = 'postgres';

/**
 * Where initdb and pg_ctl are (pg_config's bindir, else PATH), and as whom to run them; or why
 * this machine cannot start a private Postgres, for a test to show in its skip reason.
 */
export function privatePostgresSupport(): { bin: string; runAs?: { uid: number; gid: number } } | { missing: string } {
  const bin = bindir();
  if (!bin) return { missing: 'initdb and pg_ctl not found (neither pg_config --bindir nor PATH has them)' };
  if (userInfo().uid !== 0) return { bin };
  try {
    const [uid, gid] = ['-u', '-g'].map((flag) => Number(execFileSync('id', [flag, SERVICE_ACCOUNT], { encoding: 'utf8' }).trim()));
    return { bin, runAs: { uid: uid!, gid: gid! } };
  } catch {
    return { missing: `running as root, and there is no '${SERVICE_ACCOUNT}' account to run initdb as` };
  }
}

function bindir(): string | undefined {
  const candidates: string[] = [];
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  } catch {
    // no pg_config: PATH may still have the binaries
  }
  candidates.push(...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean));
  return candidates.find((dir) => ['initdb', 'pg_ctl'].every((name) => isExecutable(path.join(dir, name))));
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const execFileAsync = promisify(execFile);

const running = new Set<PrivatePostgres>();
afterAll(async () => {
  await Promise.all([...running].map((instance) => instance.destroy()));
});

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const support = privatePostgresSupport();
  if ('missing' in support) throw new Error(`cannot start a private Postgres: ${support.missing}`);
  const { bin, runAs } = support;
  const dir = mkdtempSync(path.join(tmpdir(), 'social-graphql-pg-'));
  const dataDir = path.join(dir, 'data');
  if (runAs) chownSync(dir, runAs.uid, runAs.gid);
  const run = (tool: string, args: string[]) =>
    execFileAsync(runAs ? 'runuser' : path.join(bin, tool), runAs ? ['-u', SERVICE_ACCOUNT, '--', path.join(bin, tool), ...args] : args, {
      timeout: 60_000,
    });
  const pgCtl = (...args: string[]) => run('pg_ctl', ['-D', dataDir, '-l', path.join(dir, 'log'), '-w', '-t', '30', ...args]);

  const port = await freePort();
  await run('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  // Its socket in its own directory, durability traded for speed: it holds nothing worth keeping.
  writeFileSync(
    path.join(dataDir, 'postgresql.auto.conf'),
    [
      `port = ${port}`,
      `listen_addresses = '127.0.0.1'`,
      `unix_socket_directories = '${dir}'`,
      'fsync = off',
      'max_connections = 30',
      '',
    ].join('\n'),
  );
  if (runAs) chownSync(path.join(dataDir, 'postgresql.auto.conf'), runAs.uid, runAs.gid);
  await pgCtl('start');

  let isDestroyed = false;
  const instance: PrivatePostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await pgCtl('stop', '-m', 'fast');
    },
    start: async () => {
      await pgCtl('start');
    },
    destroy: async () => {
      if (isDestroyed) return;
      isDestroyed = true;
      running.delete(instance);
      try {
        await pgCtl('stop', '-m', 'immediate');
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  running.add(instance);
  return instance;
}

// The `baseline` of an A/B run (`--baseline <git-rev>`): ours as built from another revision,
// measured in the same run as the working tree's build, so that the ratio between the two is
// the change's and not the machine's mood. The revision's files go into a temporary directory
// (git archive: no worktree to register or prune), with the current node_modules when its
// package-lock.json is the current one, else its own `npm ci`, and are built as `npm start`
// builds them. Only node: built-ins here, as run.mjs loads it before bench/'s dependencies.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** @default 1 GiB: the most `git archive` may write to memory (the tree is ~0.2 MiB today). */
const MAX_ARCHIVE_BYTES = 2 ** 30;

/**
 * Builds ours at `rev` in a temporary directory: { rev, commit, rootDir, remove() }. remove()
 * deletes the directory and may be called more than once; call it whatever happens.
 */
export function buildBaseline(rev, say) {
  const commit = resolveCommit(rev);
  const rootDir = mkdtempSync(path.join(os.tmpdir(), 'social-graphql-baseline-'));
  const baseline = { rev, commit, rootDir, remove: () => remove(rootDir) };
  try {
    say(`baseline ${rev} (${commit.slice(0, 12)}) in ${rootDir}`);
    const archive = execFileSync('git', ['archive', '--format=tar', commit], { cwd: ROOT_DIR, maxBuffer: MAX_ARCHIVE_BYTES });
    execFileSync('tar', ['-x', '-C', rootDir], { input: archive });
    installModules(rootDir, say);
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: rootDir, stdio: 'inherit' });
    if (!existsSync(path.join(rootDir, 'dist', 'main.js'))) throw new Error(`${rev}'s npm run build made no dist/main.js`);
    return baseline;
  } catch (error) {
    baseline.remove();
    throw error;
  }
}

// The same lock file means the same packages: the current install serves, in a second.
function installModules(rootDir, say) {
  const lock = (dir) => readFileSync(path.join(dir, 'package-lock.json'), 'utf8');
  if (lock(rootDir) === lock(ROOT_DIR)) {
    symlinkSync(path.join(ROOT_DIR, 'node_modules'), path.join(rootDir, 'node_modules'), 'dir');
    return;
  }
  say('baseline: its package-lock.json differs from the current one: npm ci');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: rootDir, stdio: 'inherit' });
}

function remove(rootDir) {
  const modules = path.join(rootDir, 'node_modules');
  // The link alone first: the current node_modules behind it stays, whatever rmSync would follow.
  if (lstatSync(modules, { throwIfNoEntry: false })?.isSymbolicLink()) unlinkSync(modules);
  rmSync(rootDir, { recursive: true, force: true });
}

function resolveCommit(rev) {
  try {
    return execFileSync('git', ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { cwd: ROOT_DIR, encoding: 'utf8' }).trim();
  } catch (error) {
    throw new Error(`--baseline ${rev}: not a commit of this repository`, { cause: error });
  }
}

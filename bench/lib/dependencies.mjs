// bench/'s own dependencies stay out of the server's install (issue 5): every bench script
// installs them on first use. Only node: built-ins here, as nothing else may be installed yet.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** Installs bench/'s dependencies when any is missing: checked one by one, as an older install lacks newer ones. */
export function installDependencies(say) {
  const { dependencies } = JSON.parse(readFileSync(path.join(BENCH_DIR, 'package.json'), 'utf8'));
  const missing = Object.keys(dependencies).filter((name) => !existsSync(path.join(BENCH_DIR, 'node_modules', name, 'package.json')));
  if (missing.length === 0) return;
  say(`installing bench/ dependencies (missing: ${missing.join(', ')})`);
  execFileSync('npm', ['install', '--prefix', BENCH_DIR, '--no-audit', '--no-fund'], { stdio: 'inherit' });
}

// A file generated from the code and committed: written by its npm script, or, with --check (as
// CI runs it), compared with what is committed, failing when it is stale.
import { readFile, writeFile } from 'node:fs/promises';

export async function writeOrCheck(target: URL, content: string, command: string): Promise<void> {
  const name = target.pathname.slice(target.pathname.lastIndexOf('/') + 1);
  if (process.argv.includes('--check')) {
    const committed = await readFile(target, 'utf8').catch(() => '');
    if (committed !== content) {
      console.error(`${name} is stale: run \`${command}\` and commit the result.`);
      process.exit(1);
    }
    console.log(`${name} is up to date.`);
  } else {
    await writeFile(target, content);
    console.log(`wrote ${name}`);
  }
}

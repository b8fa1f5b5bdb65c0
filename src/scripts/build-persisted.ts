// npm run persisted:build [-- --out FILE] [DIR …]: the manifest of PERSISTED_OPERATIONS=only.
// --check (npm run persisted:check) writes nothing and fails when FILE is not what it would write:
// a document edited, added or removed without a rebuild, or one the schema no longer accepts.
// Every .graphql file under the directories (default persisted-operations/) is one document,
// checked against the schema here so that the manifest holds only operations that run. Its key is
// the sha256 (hex) of the file's text exactly as it is: what a client sends as
// extensions.persistedQuery.sha256Hash, or the text itself. Written with sorted keys, so a
// rebuild from the same files is byte-identical.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse, validate } from 'graphql';
import { sha256Hex } from '../limits/persisted-operations.js';
import { schema } from '../schema/index.js';

const args = process.argv.slice(2).filter((arg) => arg !== '--check');
const isCheck = process.argv.includes('--check');
const outIndex = args.indexOf('--out');
const out = path.resolve(outIndex >= 0 ? args[outIndex + 1]! : 'persisted-operations/manifest.json');
const dirs = args.filter((_arg, i) => i !== outIndex && i !== outIndex + 1);

async function graphqlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.graphql'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

const manifest: Record<string, string> = {};
const problems: string[] = [];
for (const file of (await Promise.all((dirs.length > 0 ? dirs : ['persisted-operations']).map(graphqlFiles))).flat()) {
  const text = await readFile(file, 'utf8');
  try {
    const errors = validate(schema, parse(text));
    for (const error of errors) problems.push(`${file}: ${error.message}`);
  } catch (error) {
    problems.push(`${file}: ${(error as Error).message}`);
  }
  manifest[sha256Hex(text)] = text;
}
if (problems.length > 0) {
  console.error(
    `persisted:build: ${isCheck ? 'the documents do not validate' : 'not written'}, fix these first:\n- ${problems.join('\n- ')}`,
  );
  process.exit(1);
}
const sorted = Object.fromEntries(Object.entries(manifest).sort(([a], [b]) => a.localeCompare(b)));
const text = `${JSON.stringify(sorted, null, 2)}\n`;
if (isCheck) {
  if ((await readFile(out, 'utf8').catch(() => '')) !== text) {
    console.error(`${path.relative(process.cwd(), out)} is stale: run \`npm run persisted:build\` and commit the result.`);
    process.exit(1);
  }
  console.log(`${path.relative(process.cwd(), out)} is up to date (${Object.keys(sorted).length} operations).`);
  process.exit(0);
}
await writeFile(out, text);
console.log(`persisted:build: ${Object.keys(sorted).length} operations → ${path.relative(process.cwd(), out)}`);

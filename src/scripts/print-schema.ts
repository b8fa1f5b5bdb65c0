// npm run schema: prints schema.graphql from the code. --check (npm run schema:check) fails,
// printing what differs, when the committed file is stale.
import { readFile, writeFile } from 'node:fs/promises';
import { printSchema } from 'graphql';
import { schema } from '../schema/index.js';

const target = new URL('../../schema.graphql', import.meta.url);
const header = '# Generated from the code by `npm run schema`: do not edit by hand.\n\n';
const printed = `${header}${printSchema(schema)}\n`;

if (process.argv.includes('--check')) {
  const committed = await readFile(target, 'utf8').catch(() => '');
  if (committed !== printed) {
    console.error('schema.graphql is stale: run `npm run schema` and commit the result.');
    process.exit(1);
  }
  console.log('schema.graphql is up to date.');
} else {
  await writeFile(target, printed);
  console.log('wrote schema.graphql');
}

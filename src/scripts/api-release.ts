// npm run api:release: records the current API as released: copies schema.graphql and
// openapi.json into api/released/ and sets api/released/VERSION to CHANGELOG.md's top version,
// which must be newer. api:diff compares against this from then on.
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { isNewer, topRelease } from '../versioning/changelog.js';

const root = new URL('../../', import.meta.url);
const at = (path: string) => new URL(path, root);

const release = topRelease(await readFile(at('CHANGELOG.md'), 'utf8'));
const released = (await readFile(at('api/released/VERSION'), 'utf8')).trim();
if (!release || !isNewer(release.version, released)) {
  console.error(
    `CHANGELOG.md's top version (${release?.version ?? 'none'}) is not newer than the released ${released}: add its section first.`,
  );
  process.exit(1);
}
await copyFile(at('schema.graphql'), at('api/released/schema.graphql'));
const hasOpenapi = await copyFile(at('openapi.json'), at('api/released/openapi.json')).then(
  () => true,
  (err: unknown) => {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  },
);
await writeFile(at('api/released/VERSION'), `${release.version}\n`);
console.log(
  `released ${release.version}: api/released/ holds schema.graphql${hasOpenapi ? ' and openapi.json' : ' (no openapi.json yet)'}.`,
);

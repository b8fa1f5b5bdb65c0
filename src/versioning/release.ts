// api:release: records the current API as released: copies schema.graphql and openapi.json into
// api/released/ and sets api/released/VERSION to CHANGELOG.md's top version, which must be newer.
// api:diff compares against this from then on.
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { isNewer, topRelease } from './changelog.js';

/** Releases the API of the repository at `root` (a directory URL ending in /); resolves to what it did. */
export async function releaseApi(root: URL): Promise<string> {
  const at = (path: string) => new URL(path, root);
  const release = topRelease(await readFile(at('CHANGELOG.md'), 'utf8'));
  const released = (await readFile(at('api/released/VERSION'), 'utf8')).trim();
  if (!release || !isNewer(release.version, released)) {
    throw new Error(
      `CHANGELOG.md's top version (${release?.version ?? 'none'}) is not newer than the released ${released}: add its section first.`,
    );
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
  return `released ${release.version}: api/released/ holds schema.graphql${hasOpenapi ? ' and openapi.json' : ' (no openapi.json yet)'}.`;
}

// api:release records the current API as the released one, at CHANGELOG.md's top version.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, expect, test } from 'vitest';
import { releaseApi } from '../../src/versioning/release.js';

let dir: string;
afterEach(() => rm(dir, { recursive: true, force: true }));

/** A repository with a 1.0.0 release and this CHANGELOG. */
async function repository(changelog: string): Promise<URL> {
  dir = await mkdtemp(join(tmpdir(), 'api-release-'));
  await mkdir(join(dir, 'api/released'), { recursive: true });
  await writeFile(join(dir, 'api/released/VERSION'), '1.0.0\n');
  await writeFile(join(dir, 'api/released/schema.graphql'), 'type Query { a: Int }\n');
  await writeFile(join(dir, 'schema.graphql'), 'type Query { a: Int, b: Int }\n');
  await writeFile(join(dir, 'openapi.json'), '{"openapi":"3.1.0"}\n');
  await writeFile(join(dir, 'CHANGELOG.md'), changelog);
  return pathToFileURL(`${dir}/`);
}

test('the current schema and OpenAPI document become the release, at the top version', async () => {
  const root = await repository('# Changelog\n\n## [Unreleased]\n\n## [1.1.0] - 2027-01-01\n\n- `Query.b`\n\n## [1.0.0]\n');
  expect(await releaseApi(root)).toBe('released 1.1.0: api/released/ holds schema.graphql and openapi.json.');
  expect(await readFile(join(dir, 'api/released/VERSION'), 'utf8')).toBe('1.1.0\n');
  expect(await readFile(join(dir, 'api/released/schema.graphql'), 'utf8')).toContain('b: Int');
  expect(await readFile(join(dir, 'api/released/openapi.json'), 'utf8')).toContain('3.1.0');
});

test('a CHANGELOG whose top version is already released is refused, and nothing is copied', async () => {
  const root = await repository('# Changelog\n\n## [Unreleased]\n\n- `Query.b`\n\n## [1.0.0]\n');
  await expect(releaseApi(root)).rejects.toThrow("CHANGELOG.md's top version (1.0.0) is not newer than the released 1.0.0");
  expect(await readFile(join(dir, 'api/released/schema.graphql'), 'utf8')).not.toContain('b: Int');
});

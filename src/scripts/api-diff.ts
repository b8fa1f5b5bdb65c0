// npm run api:diff: the GraphQL schema and the OpenAPI document against the last release
// (api/released/), with a report of every change; exits 1 when a breaking change is not listed
// under a new major in CHANGELOG.md, something deprecated goes before its sunset, or the
// deprecation registry and the API disagree (README, "Versioning and deprecation").
import { readFile } from 'node:fs/promises';
import { buildSchema } from 'graphql';
import { deprecations } from '../api/deprecations.js';
import type { ApiChange } from '../versioning/api-change.js';
import { graphqlChanges } from '../versioning/graphql-diff.js';
import { openapiChanges } from '../versioning/openapi-diff.js';
import type { Json } from '../versioning/openapi-json.js';
import { formatReport } from '../versioning/report.js';
import { registryMismatches } from '../versioning/registry-check.js';
import { refusals } from '../versioning/verdict.js';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFile(new URL(path, root), 'utf8').catch(() => null);

const changes: ApiChange[] = [];

const [schema, releasedSchema] = await Promise.all([read('schema.graphql'), read('api/released/schema.graphql')]);
if (schema === null || releasedSchema === null)
  console.log('GraphQL: no schema.graphql or no released baseline (api/released/schema.graphql): skipped.');
else changes.push(...report('GraphQL', await graphqlChanges(releasedSchema, schema)));

const [openapiText, releasedOpenapi] = await Promise.all([read('openapi.json'), read('api/released/openapi.json')]);
const openapi = openapiText === null ? null : (JSON.parse(openapiText) as Json);
if (openapi === null) console.log('OpenAPI: no openapi.json: skipped.');
else if (releasedOpenapi === null) console.log('OpenAPI: no released OpenAPI baseline (api/released/openapi.json): skipped.');
else changes.push(...report('OpenAPI', openapiChanges(JSON.parse(releasedOpenapi) as Json, openapi)));

const releasedVersion = await read('api/released/VERSION');
if (releasedVersion === null) throw new Error('api/released/VERSION is missing: it records the version api/released/ holds');
const problems = schema === null ? [] : registryMismatches(deprecations, buildSchema(schema), openapi);
problems.push(
  ...refusals({
    changes,
    changelog: (await read('CHANGELOG.md')) ?? '',
    releasedVersion,
    deprecations,
    today: new Date().toISOString().slice(0, 10),
  }),
);
if (problems.length > 0) {
  console.error(`\napi:diff refused:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  process.exit(1);
}
const breakingCount = changes.filter((change) => change.level === 'breaking').length;
console.log(
  breakingCount === 0
    ? `\napi:diff: no breaking change since the released ${releasedVersion.trim()}.`
    : `\napi:diff: ${String(breakingCount)} breaking change(s), each listed under a new major in CHANGELOG.md.`,
);

function report(api: string, found: ApiChange[]): ApiChange[] {
  console.log(formatReport(api, found));
  return found;
}

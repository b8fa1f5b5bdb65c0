// npm run openapi: prints openapi.json, REST v1's OpenAPI 3.1 document, from the code, after
// checking it with an OpenAPI validator. --check (npm run openapi:check) fails when the
// committed file is stale.
import SwaggerParser from '@apidevtools/swagger-parser';
import { openApiJson } from '../rest/openapi.js';
import { schema } from '../schema/index.js';
import { writeOrCheck } from './generated-file.js';

const json = openApiJson(schema);
// The validator dereferences what it is given: a copy, so the printed text stays as generated.
await SwaggerParser.validate(JSON.parse(json) as never);
await writeOrCheck(new URL('../../openapi.json', import.meta.url), json, 'npm run openapi');

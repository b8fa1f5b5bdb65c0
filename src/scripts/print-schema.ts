// npm run schema: prints schema.graphql from the code. --check (npm run schema:check) fails,
// printing what differs, when the committed file is stale.
import { printSchema } from 'graphql';
import { schema } from '../schema/index.js';
import { writeOrCheck } from './generated-file.js';

const header = '# Generated from the code by `npm run schema`: do not edit by hand.\n\n';
await writeOrCheck(new URL('../../schema.graphql', import.meta.url), `${header}${printSchema(schema)}\n`, 'npm run schema');

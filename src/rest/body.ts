// A REST request's JSON body, read within the body limit and checked against its GraphQL input
// type before anything runs: unknown fields, missing required ones and values of the wrong type
// are reported at once, named as in the body (`title`), as one 400 BAD_USER_INPUT. What the
// type cannot say (lengths, formats) the mutation checks, as for GraphQL.
import { getNullableType, isNonNullType, isScalarType, type GraphQLInputObjectType, type GraphQLSchema } from 'graphql';
import type { InputProblem } from '../errors.js';
import { truncate } from '../bounded-errors.js';
import { restError, type RestError } from './envelope.js';
import type { BodySpec } from './routes.js';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/i;

/** The body as a JSON object, or the error to answer: 413, 415, 400. */
export type JsonBody = { ok: true; body: Record<string, unknown> } | { ok: false; error: RestError };

export async function readJsonBody(request: Request, maxBytes: number): Promise<JsonBody> {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim();
  const length = request.headers.get('content-length');
  if (length !== null && Number(length) > maxBytes) return refused(tooLarge(maxBytes));
  if (!JSON_TYPE.test(type)) {
    return refused(restError('BAD_REQUEST', 'Send the body as JSON, with Content-Type: application/json.', [], 415));
  }
  const text = await readText(request, maxBytes);
  // The rest of the body is left unread on the connection: the client must open a new one, or its
  // next request there is reset.
  if (text === null) return refused({ ...tooLarge(maxBytes), headers: { Connection: 'close' } });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return refused(restError('BAD_REQUEST', 'The body is not valid JSON.'));
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return refused(restError('BAD_REQUEST', 'The body must be a JSON object.'));
  }
  return { ok: true, body: value as Record<string, unknown> };
}

/** Problems with a body against its input type; path-given fields (`fromPath`) are not the client's to send. */
export function bodyProblems(body: Record<string, unknown>, spec: BodySpec, schema: GraphQLSchema): InputProblem[] {
  const type = schema.getType(spec.type) as GraphQLInputObjectType;
  const fields = type.getFields();
  const fromPath = new Set(Object.keys(spec.fromPath ?? {}));
  const problems: InputProblem[] = [];
  for (const name of Object.keys(body)) {
    if (!Object.hasOwn(fields, name) || fromPath.has(name)) {
      problems.push({
        field: truncate(name, 60),
        message: `Unknown field: the body takes ${Object.keys(fields)
          .filter((field) => !fromPath.has(field))
          .join(', ')}.`,
      });
    }
  }
  for (const [name, field] of Object.entries(fields)) {
    if (fromPath.has(name)) continue;
    const value = body[name];
    if (value === undefined || value === null) {
      if (isNonNullType(field.type)) problems.push({ field: name, message: `${name} is required.` });
      continue;
    }
    const scalar = getNullableType(field.type);
    if (isScalarType(scalar) && (scalar.name === 'String' || scalar.name === 'ID') && typeof value !== 'string') {
      problems.push({ field: name, message: `${name} must be a string.` });
    }
  }
  return problems.slice(0, 20);
}

const refused = (error: RestError): JsonBody => ({ ok: false, error });
const tooLarge = (maxBytes: number) => restError('PAYLOAD_TOO_LARGE', `The body is larger than ${maxBytes} bytes.`);

/** The body's text, or null past maxBytes (counted as it streams: a chunked body has no length). */
async function readText(request: Request, maxBytes: number): Promise<string | null> {
  if (!request.body) return '';
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

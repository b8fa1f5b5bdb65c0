// A REST client for tests that checks every answer it receives against the OpenAPI document the
// server serves (GET /v1/openapi.json), with an independent validator (ajv, JSON Schema 2020-12,
// OpenAPI 3.1's dialect): the status must be one the document declares for the operation, and the
// body must fit that status's schema. So the document cannot drift from the server.
import { createRequire } from 'node:module';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { expect } from 'vitest';
import type { TestApp } from './test-app.js';

export type RestResponse<T = any> = {
  status: number;
  headers: Headers;
  /** The parsed JSON body (text when not JSON); null when there is none (204, 304, HEAD). */
  body: T;
  /** SQL statements the server sent while answering. */
  statements: number;
};

export type RestInit = {
  headers?: Record<string, string>;
  /** Sent as JSON with Content-Type: application/json. */
  json?: unknown;
  /** Sent as it is (with the headers given): malformed bodies. */
  rawBody?: string;
  /** Sent chunked, without a Content-Length, as it streams. */
  stream?: ReadableStream<Uint8Array>;
};

type OpenApi = {
  paths: Record<string, Record<string, { responses: Record<string, any> }>>;
  components: Record<string, Record<string, any>>;
};

// ajv-formats is CommonJS, its plugin module.exports itself, which TypeScript's ESM view types otherwise.
const addFormats = createRequire(import.meta.url)('ajv-formats') as (ajv: Ajv2020) => Ajv2020;

const DOCUMENT_ID = 'https://rest.test/openapi.json';

export type RestClient = ReturnType<typeof restClient>;

export function restClient(app: TestApp) {
  let checker: Promise<Checker> | undefined;
  const request = async <T = any>(method: string, path: string, init: RestInit = {}): Promise<RestResponse<T>> => {
    checker ??= loadChecker(app);
    const before = app.database.statementCount;
    const headers: Record<string, string> = { ...init.headers };
    let body: BodyInit | undefined = init.stream ?? init.rawBody;
    if (init.json !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(init.json);
    }
    // duplex: a streamed body is sent while the response may already arrive (Node's fetch requires it).
    const response = await app.fetch(path, { method, headers, body, ...(init.stream && { duplex: 'half' }) });
    const text = await response.text();
    const statements = app.database.statementCount - before;
    const isJson = (response.headers.get('content-type') ?? '').startsWith('application/json');
    const parsed = text === '' ? null : isJson ? JSON.parse(text) : text;
    (await checker).check(method, new URL(path, app.url).pathname, response, parsed);
    return { status: response.status, headers: response.headers, body: parsed, statements };
  };
  return {
    request,
    get: <T = any>(path: string, init?: RestInit) => request<T>('GET', path, init),
    post: <T = any>(path: string, init?: RestInit) => request<T>('POST', path, init),
    patch: <T = any>(path: string, init?: RestInit) => request<T>('PATCH', path, init),
    put: <T = any>(path: string, init?: RestInit) => request<T>('PUT', path, init),
    delete: <T = any>(path: string, init?: RestInit) => request<T>('DELETE', path, init),
  };
}

type Checker = { check(method: string, pathname: string, response: Response, body: unknown): void };

async function loadChecker(app: TestApp): Promise<Checker> {
  const document = (await (await app.fetch('/v1/openapi.json')).json()) as OpenApi;
  const ajv = new Ajv2020({ strict: false, validateSchema: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ ...document, $id: DOCUMENT_ID });
  const validators = new Map<string, ValidateFunction>();
  const validatorAt = (pointer: string): ValidateFunction => {
    let validate = validators.get(pointer);
    if (!validate) {
      validate = ajv.compile({ $ref: `${DOCUMENT_ID}#${pointer}` });
      validators.set(pointer, validate);
    }
    return validate;
  };
  const templates = Object.keys(document.paths).map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}/?$`),
  }));
  return {
    check(method, pathname, response, body) {
      expect(response.headers.get('x-request-id'), 'every response has an X-Request-ID').toBeTruthy();
      const where = `${method} ${pathname} → ${response.status}`;
      const found = templates.find(({ pattern }) => pattern.test(pathname));
      const operation = found && document.paths[found.template]![(method === 'HEAD' ? 'get' : method).toLowerCase()];
      if (!operation) {
        // Unknown paths and methods: the error envelope.
        expect(response.status, where).toBeGreaterThanOrEqual(400);
        assertValid(validatorAt('/components/schemas/Error'), body, where);
        return;
      }
      const status = String(response.status);
      expect(Object.keys(operation.responses), `${where}: the document declares this status`).toContain(status);
      let declared = operation.responses[status];
      let pointer = `/paths/${escape(found.template)}/${(method === 'HEAD' ? 'get' : method).toLowerCase()}/responses/${status}`;
      if (declared.$ref) {
        pointer = (declared.$ref as string).slice(1);
        declared = pointer
          .split('/')
          .slice(1)
          .reduce((node: any, key) => node[key], document);
      }
      if (!declared.content || method === 'HEAD') {
        expect(body, `${where}: no body`).toBeNull();
        return;
      }
      const [type] = Object.keys(declared.content);
      expect(response.headers.get('content-type'), where).toContain(type);
      if (type === 'application/json') assertValid(validatorAt(`${pointer}/content/application~1json/schema`), body, where);
    },
  };
}

function assertValid(validate: ValidateFunction, body: unknown, where: string): void {
  const valid = validate(body);
  expect(valid ? [] : validate.errors, `${where}: the body fits the OpenAPI document`).toEqual([]);
}

/** A JSON pointer segment, URI-escaped for a $ref fragment. */
const escape = (segment: string) => encodeURIComponent(segment.replaceAll('~', '~0').replaceAll('/', '~1'));

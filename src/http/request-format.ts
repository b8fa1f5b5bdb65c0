// What a /graphql request may look like before yoga reads it (the contract's "Bounded answers"):
//  - a body a browser form can send (multipart/form-data, application/x-www-form-urlencoded) is
//    415: such a request crosses sites without a CORS preflight, so it must never reach a
//    mutation (text/plain, the third such type, yoga already refuses with 415);
//  - a GET's `variables` and `extensions` must be JSON: yoga's own parser throws a SyntaxError
//    on anything else, which would be answered as an internal error (500).
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { badRequest } from '../errors.js';
import { truncate } from '../bounded-errors.js';

const FORM_TYPES = new Set(['multipart/form-data', 'application/x-www-form-urlencoded']);
const JSON_PARAMETERS = ['variables', 'extensions'] as const;

export function useRequestFormat(): Plugin {
  return {
    onRequestParse({ request, url }) {
      if (request.method === 'POST') {
        const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
        if (FORM_TYPES.has(type)) throw unsupportedForm(type);
      } else if (request.method === 'GET') {
        for (const name of JSON_PARAMETERS) checkJsonParameter(url.searchParams, name);
      }
    },
  };
}

function unsupportedForm(type: string): GraphQLError {
  return new GraphQLError(`${type} bodies are not accepted: send the request as application/json.`, {
    extensions: { code: 'BAD_REQUEST', http: { status: 415 } },
  });
}

/** yoga reads an empty parameter as absent, so only a non-empty one must parse. */
function checkJsonParameter(params: URLSearchParams, name: (typeof JSON_PARAMETERS)[number]): void {
  const value = params.get(name);
  if (!value) return;
  try {
    JSON.parse(value);
  } catch {
    throw badRequest(`The ${name} query parameter must be JSON (an object, URL-encoded); it was "${truncate(value)}".`);
  }
}

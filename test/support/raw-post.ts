// postRaw(app, body): a POST /graphql with exactly these body bytes, answered as raw text, for
// tests that compare responses byte for byte or need the body's hash (idempotency keys).
import { createHash } from 'node:crypto';
import type { TestApp } from './test-app.js';

export type RawResponse = { status: number; headers: Headers; text: string; json: any };

export async function postRaw(app: TestApp, body: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const response = await fetch(app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: JSON.parse(text) };
}

/** The hash the server keeps for a body: sha256 of its UTF-8 bytes, hex. */
export const sha256 = (body: string): string => createHash('sha256').update(body).digest('hex');

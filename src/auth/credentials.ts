// What a request says about who sends it, from its Authorization header alone (no database):
// nobody, a verified token, or something that claims to be a token and is not. The last one is
// refused, never treated as anonymous: a client with a broken token must find out.
import { verifyToken, type TokenClaims, type TokenConfig } from './token.js';

export type Credentials = { kind: 'anonymous' } | { kind: 'token'; claims: TokenClaims } | { kind: 'invalid'; reason: string };

const BEARER = /^Bearer ([A-Za-z0-9\-_.]+)$/;

export async function readCredentials(authorization: string | null | undefined, config: TokenConfig): Promise<Credentials> {
  if (authorization === null || authorization === undefined || authorization.trim() === '') return { kind: 'anonymous' };
  const token = BEARER.exec(authorization.trim())?.[1];
  if (!token) return { kind: 'invalid', reason: 'The Authorization header must be "Bearer <token>".' };
  const claims = await verifyToken(config, token);
  if (!claims) return { kind: 'invalid', reason: 'The token is invalid or expired: log in again.' };
  return { kind: 'token', claims };
}

/** The credentials of an HTTP request, read once. */
export type RequestCredentials = (request: Request) => Promise<Credentials>;

/**
 * One per app (createApp makes it): the rate limit reads a request's credentials before parsing
 * (src/limits/plugin.ts), the context after, and a token is verified only the first time.
 */
export function createRequestCredentials(config: TokenConfig): RequestCredentials {
  const byRequest = new WeakMap<Request, Promise<Credentials>>();
  return (request) => {
    let credentials = byRequest.get(request);
    if (!credentials) {
      credentials = readCredentials(request.headers.get('authorization'), config);
      byRequest.set(request, credentials);
    }
    return credentials;
  };
}

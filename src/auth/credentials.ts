// What a request says about who sends it, from its Authorization header alone (no database):
// nobody, a verified token, or something that claims to be a token and is not. The last one is
// refused, never treated as anonymous: a client with a broken token must find out.
import { verifyToken, type TokenClaims, type TokenConfig } from './token.js';

export type Credentials =
  | { kind: 'anonymous' }
  | { kind: 'token'; claims: TokenClaims }
  | { kind: 'invalid'; reason: string };

const BEARER = /^Bearer ([A-Za-z0-9\-_.]+)$/;

export async function readCredentials(authorization: string | null | undefined, config: TokenConfig): Promise<Credentials> {
  if (authorization === null || authorization === undefined || authorization.trim() === '') return { kind: 'anonymous' };
  const token = BEARER.exec(authorization.trim())?.[1];
  if (!token) return { kind: 'invalid', reason: 'The Authorization header must be "Bearer <token>".' };
  const claims = await verifyToken(config, token);
  if (!claims) return { kind: 'invalid', reason: 'The token is invalid or expired: log in again.' };
  return { kind: 'token', claims };
}

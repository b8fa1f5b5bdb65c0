// Access tokens for seeded users, signed as the server signs them (src/auth/token.ts) with the
// bench's fixed secret: many signed-in identities at once, without a logIn (and its password
// hash) for each. Only a server started with JWT_SECRET (lib/servers.mjs) accepts them.
import { SignJWT } from 'jose';
import { JWT_SECRET } from './servers.mjs';

const ISSUER = 'social-graphql';

/** A token for `userId` (token version 0: a user who never logged out), valid for `ttlSeconds`. */
export function signToken(userId, { secret = JWT_SECRET, ttlSeconds = 3600 } = {}) {
  return new SignJWT({ ver: 0 })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(String(userId))
    .setIssuer(ISSUER)
    .setAudience(ISSUER)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(new TextEncoder().encode(secret));
}

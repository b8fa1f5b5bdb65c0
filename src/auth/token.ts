// Access tokens: JWTs signed with HS256 (jose). The subject is the user id; `ver` is the user's
// token version, which logOut advances: every token issued before then stops working, on every
// device, with no list of tokens to keep.
import { errors, jwtVerify, SignJWT } from 'jose';

export type TokenConfig = { secret: Uint8Array; expiresInSeconds: number };
export type TokenClaims = { userId: number; tokenVersion: number };

/** Both the issuer and the audience: a token made for another service is not ours. */
const ISSUER = 'social-graphql';

// Given the secret's bytes, jose imports them as a WebCrypto key on every call: ~4 % of the CPU
// of a signed-in request (issue 13). The key is imported once per secret instead.
const keys = new WeakMap<Uint8Array, Promise<CryptoKey>>();

function hmacKey(secret: Uint8Array): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', new Uint8Array(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    keys.set(secret, key);
  }
  return key;
}

export async function signToken(config: TokenConfig, claims: TokenClaims): Promise<string> {
  return new SignJWT({ ver: claims.tokenVersion })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(String(claims.userId))
    .setIssuer(ISSUER)
    .setAudience(ISSUER)
    .setIssuedAt()
    .setExpirationTime(`${config.expiresInSeconds}s`)
    .sign(await hmacKey(config.secret));
}

/**
 * @default 30 s: how far instances' clocks may disagree. A token issued (iat) or valid from (nbf)
 * further in the future than this was not issued by a sane clock of ours; exp gets the same slack.
 */
const CLOCK_TOLERANCE_SECONDS = 30;

/**
 * The claims of a valid token; null for anything else (bad signature, expired, alg none, garbage,
 * no exp or iat: a token that never expires is not one we issue, issue 11).
 */
export async function verifyToken(config: TokenConfig, token: string): Promise<TokenClaims | null> {
  try {
    const { payload } = await jwtVerify(token, await hmacKey(config.secret), {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: ISSUER,
      requiredClaims: ['exp', 'iat', 'sub'],
      // jose checks nbf and exp with this slack, but iat only with maxTokenAge: checked below.
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    });
    if (payload.iat! > Date.now() / 1000 + CLOCK_TOLERANCE_SECONDS) return null;
    const userId = Number(payload.sub);
    const tokenVersion = payload.ver;
    if (!Number.isSafeInteger(userId) || userId < 1 || typeof tokenVersion !== 'number' || !Number.isSafeInteger(tokenVersion)) return null;
    return { userId, tokenVersion };
  } catch (error) {
    if (error instanceof errors.JOSEError || error instanceof TypeError) return null;
    throw error;
  }
}

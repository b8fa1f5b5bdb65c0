// Strong entity tags (RFC 9110, 8.8.3) for REST answers and GET /graphql; If-None-Match is matched by ./precompressed.ts's isCurrent.
import { hash } from 'node:crypto';

/** A strong ETag of a representation's content: a validator, not a secret, so SHA-1 in one call does. */
export const strongEtag = (content: string): string => `"${hash('sha1', content, 'base64url')}"`;

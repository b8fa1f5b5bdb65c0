// Strong entity tags for REST answers (RFC 9110, 8.8.3); If-None-Match is matched by src/http/precompressed.ts's isCurrent.
import { hash } from 'node:crypto';

/** A strong ETag of a representation's content: a validator, not a secret, so SHA-1 in one call does. */
export const strongEtag = (content: string): string => `"${hash('sha1', content, 'base64url')}"`;

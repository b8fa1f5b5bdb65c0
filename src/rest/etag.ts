// Strong entity tags for REST answers (RFC 9110, 8.8.3); If-None-Match is matched by src/http/precompressed.ts's isCurrent.
import { createHash } from 'node:crypto';

/** A strong ETag of a representation's content. */
export const strongEtag = (content: string): string => `"${createHash('sha256').update(content).digest('base64url').slice(0, 32)}"`;

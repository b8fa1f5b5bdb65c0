// Strong entity tags for REST answers and If-None-Match matching (RFC 9110, 8.8.3 and 13.1.2).
import { createHash } from 'node:crypto';

/** A strong ETag of a representation's content. */
export const strongEtag = (content: string): string => `"${createHash('sha256').update(content).digest('base64url').slice(0, 32)}"`;

/** If-None-Match: `*` or a list of entity tags, weak ones compared weakly. */
export function matchesEtag(header: string | null, etag: string): boolean {
  if (header === null) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

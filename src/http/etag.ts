// Strong entity tags (RFC 9110, 8.8.3) for everything this server revalidates: GET /graphql
// answers, REST answers, GraphiQL's and the docs page's files; and the If-None-Match check.
import { hash } from 'node:crypto';

/** A tag of some content: a validator, not a secret, so SHA-1 in one call does. */
export const contentTag = (content: string | Uint8Array): string => hash('sha1', content, 'base64url');

/** A strong ETag of a representation's content. */
export const strongEtag = (content: string): string => `"${contentTag(content)}"`;

/** If-None-Match uses the weak comparison (RFC 9110 §13.1.2): W/ is ignored. */
export function isCurrent(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === etag;
  });
}

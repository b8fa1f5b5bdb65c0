// Everything deprecated in the API, GraphQL and REST, in one list (README, "Versioning and
// deprecation"). Nothing is deprecated yet. To deprecate, add an entry here, then:
// - a GraphQL field, argument or enum value: pass `deprecationReason: deprecationReason('Post.likesCount')`
//   where it is defined, and run `npm run schema`;
// - a REST route: nothing more, the REST layer asks the registry.
// Responses that use an entry carry its Deprecation, Sunset and Link headers (src/http/deprecation.ts).
import { createDeprecationRegistry, type Deprecation, type DeprecationRegistry } from './deprecation-registry.js';

const DEPRECATIONS: readonly Deprecation[] = [];

/** Built at import: a malformed entry, or a sunset under six months away from its `since`, stops the server. */
export const deprecations: DeprecationRegistry = createDeprecationRegistry(DEPRECATIONS);

/**
 * The GraphQL `deprecationReason` of a schema coordinate: its reason and sunset day. Throws when
 * the coordinate has no entry here, so the schema cannot mark what the registry does not list.
 */
export function deprecationReason(coordinate: string, registry: DeprecationRegistry = deprecations): string {
  const entry = registry.get(coordinate);
  if (!entry) throw new Error(`${coordinate} is marked deprecated in the schema but has no entry in src/api/deprecations.ts`);
  return `${entry.reason} Removed on or after ${entry.sunset}.`;
}

// A deprecated REST route (src/api/deprecations.ts, keyed `GET /v1/posts/{id}`) answers with
// Deprecation, Sunset and Link, as a GraphQL response using a deprecated field does. When the
// route's operation also used one (the in-process GraphQL answer carried its headers), the
// earlier dates win: the first thing to go decides when the request stops working as sent.
import { deprecationHeaders } from '../api/deprecation-headers.js';
import type { DeprecationRegistry } from '../api/deprecation-registry.js';
import type { Route } from './routes.js';

export const routeKey = (route: Route): string => `${route.method} ${route.path}`;

export function addRouteDeprecation(headers: Headers, route: Route, registry: DeprecationRegistry): void {
  if (registry.size === 0) return;
  const entry = registry.get(routeKey(route));
  const own = entry && deprecationHeaders([entry]);
  if (!own) return;
  const deprecation = headers.get('deprecation');
  if (deprecation === null || Number(own.Deprecation.slice(1)) < Number(deprecation.slice(1))) headers.set('Deprecation', own.Deprecation);
  const sunset = headers.get('sunset');
  if (sunset === null || Date.parse(own.Sunset) < Date.parse(sunset)) headers.set('Sunset', own.Sunset);
  if (!(headers.get('link') ?? '').includes('rel="deprecation"')) headers.append('Link', own.Link);
}

// Which route a method and path name: the route and its path parameters; or, for a path some
// route has but not with this method, the methods it takes (405 with Allow); or nothing (404).
import { ROUTES, type Route } from './routes.js';

export type Match =
  { kind: 'route'; route: Route; params: Record<string, string> } | { kind: 'method-not-allowed'; allow: string[] } | { kind: 'none' };

type Template = { pattern: RegExp; names: string[]; routes: Map<string, Route> };

/** One compiled template per distinct path, with its routes by method. */
const TEMPLATES: Template[] = (() => {
  const byPath = new Map<string, Template>();
  for (const route of ROUTES) {
    let template = byPath.get(route.path);
    if (!template) {
      const names: string[] = [];
      const source = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
        names.push(name);
        return '([^/]+)';
      });
      template = { pattern: new RegExp(`^${source}/?$`), names, routes: new Map() };
      byPath.set(route.path, template);
    }
    template.routes.set(route.method, route);
  }
  return [...byPath.values()];
})();

export function matchRoute(method: string, pathname: string): Match {
  for (const template of TEMPLATES) {
    const found = template.pattern.exec(pathname);
    if (!found) continue;
    // HEAD is GET without a body (RFC 9110).
    const route = template.routes.get(method === 'HEAD' ? 'GET' : method);
    if (!route) return { kind: 'method-not-allowed', allow: allowedMethods(template) };
    const params: Record<string, string> = {};
    for (const [index, name] of template.names.entries()) params[name] = safeDecode(found[index + 1]!);
    return { kind: 'route', route, params };
  }
  return { kind: 'none' };
}

function allowedMethods(template: Template): string[] {
  const methods: string[] = [...template.routes.keys()];
  if (methods.includes('GET')) methods.push('HEAD');
  return methods;
}

/** A path segment's text; one that is not valid percent-encoding is kept as sent (then refused as an id). */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

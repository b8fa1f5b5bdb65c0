// Reading an OpenAPI 3.x document without trusting its shape: objects, arrays and local $refs.
export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function objectAt(value: unknown, key: string): Json {
  const found = isObject(value) ? value[key] : undefined;
  return isObject(found) ? found : {};
}

export function arrayAt(value: unknown, key: string): unknown[] {
  const found = isObject(value) ? value[key] : undefined;
  return Array.isArray(found) ? (found as unknown[]) : [];
}

/** @default 32 $refs followed in a row before giving up: a ref to a ref is rare, a loop is a mistake. */
const MAX_REF_HOPS = 32;

/** Follows local `#/…` $refs (JSON pointers) to the object they name; the object itself otherwise. */
export function deref(document: Json, value: unknown): { value: Json; ref: string | null } {
  let current = value;
  let ref: string | null = null;
  for (let hops = 0; isObject(current) && typeof current.$ref === 'string' && hops < MAX_REF_HOPS; hops++) {
    ref = current.$ref;
    current = pointer(document, ref);
  }
  return { value: isObject(current) ? current : {}, ref };
}

function pointer(document: Json, ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported, not ${ref}`);
  return ref
    .slice(2)
    .split('/')
    .map((token) => decodeURIComponent(token).replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce<unknown>((node, token) => (isObject(node) ? node[token] : Array.isArray(node) ? node[Number(token)] : undefined), document);
}

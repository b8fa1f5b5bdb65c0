// The GraphQL document a REST request runs: its route's operation, the resource fragments it
// spreads, and, for `?fields=`, the answered resource's fragment cut down to the fields asked for
// (so what is not asked for is not fetched). Built once per route, variant and field set, and
// kept, so that yoga's parse and validation caches, keyed by the text, hit from the second request.
import { Kind, parse, print, type FieldNode, type FragmentDefinitionNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import { RESOURCE_FRAGMENTS, type ResourceName } from './resources.js';
import type { Route } from './routes.js';

const SPREAD = /\.\.\.(User|Post|Comment)\b/g;

/** The response keys of a resource, in the fragment's order: what `?fields=` may name. */
export const RESOURCE_FIELDS: Record<ResourceName, readonly string[]> = Object.fromEntries(
  Object.entries(RESOURCE_FRAGMENTS).map(([name, text]) => [name, fragmentFields(parseFragment(text)).map(responseKey)]),
) as unknown as Record<ResourceName, readonly string[]>;

// Routes × variants × field sets: bounded, as `fields` is a subset of at most nine names.
const documents = new LRUCache<string, string>({ max: 4096 });

/**
 * The document text for a route (its `variant` when the variant's query parameter is given),
 * with the answered resource's fields cut to `fields` (null: all of them).
 */
export function documentFor(route: Route, useVariant: boolean, fields: ReadonlySet<string> | null): string {
  const key = `${route.method} ${route.path}|${useVariant ? 1 : 0}|${fields ? [...fields].sort().join(',') : '*'}`;
  let text = documents.get(key);
  if (text === undefined) {
    text = buildDocument(route, useVariant, fields);
    documents.set(key, text);
  }
  return text;
}

function buildDocument(route: Route, useVariant: boolean, fields: ReadonlySet<string> | null): string {
  const operation = useVariant && route.variant ? route.variant.document : route.document;
  const spread = new Set([...operation.matchAll(SPREAD)].map((match) => match[1] as ResourceName));
  const answered = route.answer.kind === 'one' || route.answer.kind === 'list' ? route.answer.resource : null;
  const fragments = [...spread].map((name) =>
    fields && name === answered ? print(pruneFragment(parseFragment(RESOURCE_FRAGMENTS[name]), fields)) : RESOURCE_FRAGMENTS[name],
  );
  return [operation, ...fragments].join('\n');
}

/** The fragment with only the fields whose response key is in `fields`, and `id`, always. */
function pruneFragment(fragment: FragmentDefinitionNode, fields: ReadonlySet<string>): FragmentDefinitionNode {
  const kept = fragmentFields(fragment).filter((field) => responseKey(field) === 'id' || fields.has(responseKey(field)));
  return { ...fragment, selectionSet: { ...fragment.selectionSet, selections: kept } };
}

function parseFragment(text: string): FragmentDefinitionNode {
  return parse(text, { noLocation: true }).definitions[0] as FragmentDefinitionNode;
}

function fragmentFields(fragment: FragmentDefinitionNode): FieldNode[] {
  return fragment.selectionSet.selections.filter((selection): selection is FieldNode => selection.kind === Kind.FIELD);
}

function responseKey(field: FieldNode): string {
  return field.alias?.value ?? field.name.value;
}

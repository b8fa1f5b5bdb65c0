// Which fields a request selects under a field, so that a read can carry along what will be
// asked of its rows (model/derived.ts) instead of leaving it to one more statement per kind.
import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import type { Context } from '../context.js';
import { NO_DERIVED, type Derived, type RowShape } from '../model/derived.js';
import { derivedNamesOf, type DerivedName } from '../model/derived-fields.js';

export type RowType = 'Post' | 'User' | 'Comment';

const DERIVED_OF: Record<RowType, readonly DerivedName[]> = { Post: derivedNamesOf('Post'), User: derivedNamesOf('User'), Comment: [] };
const HAS_AUTHOR: Record<RowType, boolean> = { Post: true, User: false, Comment: true };

type Names = { derived: DerivedName[]; author: DerivedName[] | null };

/** Where a field's selection is: its nodes (one per time the document asks for it) and the document's fragments. */
export type Selection = Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>;

// The selection of a field is the same for every parent it is resolved on: worked out once per
// field of a document (fieldNodes is one array per field of a compiled or executed document), and
// per row type and node path, the other inputs of namesAt. Not per-request state: the names come
// from the document alone (the viewer is added after), and a document outlives a request in
// yoga's parse cache and graphql-jit's compiled operations; an entry goes with its document.
const namesByField = new WeakMap<readonly FieldNode[], Map<string, Names>>();

/**
 * What to carry along with the rows a connection field (`nodePath` ['edges', 'node']) or an
 * object field (`nodePath` []) returns. Over-asking is harmless (a fragment on another type, a
 * field under @skip), so type conditions and directives are not looked at.
 */
export function rowShapeOf(ctx: Context, info: Selection, type: RowType, nodePath: readonly string[] = ['edges', 'node']): RowShape {
  let byPlace = namesByField.get(info.fieldNodes);
  if (!byPlace) namesByField.set(info.fieldNodes, (byPlace = new Map<string, Names>()));
  const place = `${type}:${nodePath.join('.')}`;
  let names = byPlace.get(place);
  if (!names) byPlace.set(place, (names = namesAt(info, type, nodePath)));
  const viewerId = ctx.viewer?.id ?? null;
  const derived = (list: DerivedName[]): Derived => (list.length === 0 ? NO_DERIVED : { names: list, viewerId });
  return { derived: derived(names.derived), author: names.author ? derived(names.author) : null };
}

/** Which derived values (and whether the author, with which of its own) are selected at `nodePath`. */
function namesAt(info: Selection, type: RowType, nodePath: readonly string[]): Names {
  const fields = fieldsAt(info, nodePath);
  const wanted = (candidates: readonly DerivedName[], among: Set<string>) => candidates.filter((name) => among.has(name));
  return {
    derived: wanted(DERIVED_OF[type], fields),
    author: HAS_AUTHOR[type] && fields.has('author') ? wanted(DERIVED_OF.User, fieldsAt(info, [...nodePath, 'author'])) : null,
  };
}

/** The names of the fields selected at `path` below the field being resolved. */
function fieldsAt(info: Selection, path: readonly string[]): Set<string> {
  let sets = info.fieldNodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
  for (const step of path) {
    sets = sets.flatMap((set) =>
      fieldsOf(info, set)
        .filter((field) => field.name.value === step && field.selectionSet)
        .map((field) => field.selectionSet!),
    );
  }
  return new Set(sets.flatMap((set) => fieldsOf(info, set).map((field) => field.name.value)));
}

/** The fields of a selection set, with those of its fragments (named and inline) spread in. */
const fieldsOf = (info: Selection, set: SelectionSetNode): FieldNode[] => selectedFields(info, set).map(({ field }) => field);

/** A field of a selection, and whether it or a fragment it came through has a directive (@skip, @include). */
export type SelectedField = { field: FieldNode; isConditional: boolean };

/** The fields of a selection set, with those of its fragments (named and inline) spread in. */
export function selectedFields(info: Selection, set: SelectionSetNode, seen = new Set<string>(), isConditional = false): SelectedField[] {
  return set.selections.flatMap((selection): SelectedField[] => {
    const conditional = isConditional || (selection.directives?.length ?? 0) > 0;
    if (selection.kind === Kind.FIELD) return [{ field: selection, isConditional: conditional }];
    if (selection.kind === Kind.INLINE_FRAGMENT) return selectedFields(info, selection.selectionSet, seen, conditional);
    const name = selection.name.value;
    const fragment = info.fragments[name];
    if (!fragment || seen.has(name)) return [];
    seen.add(name);
    return selectedFields(info, fragment.selectionSet, seen, conditional || (fragment.directives?.length ?? 0) > 0);
  });
}

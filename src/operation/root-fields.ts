// The root fields an operation selects, through fragments: what a gate must know to tell, say,
// a createUser from a createPost before anything executes.
import { Kind, type DocumentNode, type FieldNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { fragmentsOf } from './fragments.js';

/**
 * Field names at the root of `operation`, meta fields (`__typename`) left out. @skip/@include are
 * not evaluated: a field that might run counts, which is the safe answer for a gate.
 */
export function rootFieldNames(document: DocumentNode, operation: OperationDefinitionNode): string[] {
  return [...new Set(rootFields(document, operation).map((field) => field.name.value))];
}

/** The root field nodes of `operation` (aliases kept apart), meta fields left out; as above. */
export function rootFields(document: DocumentNode, operation: OperationDefinitionNode): FieldNode[] {
  const fragments = fragmentsOf(document);
  const fields: FieldNode[] = [];
  const visited = new Set<string>();
  const visit = (selectionSet: SelectionSetNode): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (!selection.name.value.startsWith('__')) fields.push(selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet);
      } else if (!visited.has(selection.name.value)) {
        // Validation has rejected cycles and unknown fragments; `visited` just avoids repeats.
        visited.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) visit(fragment.selectionSet);
      }
    }
  };
  visit(operation.selectionSet);
  return fields;
}

// Whether a document holds one operation. graphql-jit's envelop plugin (11.2.1) keeps one compiled
// query per document whatever the operation name, so a document with two operations ran the one
// compiled first for both: such documents run on graphql-js instead (src/app.ts).
import { Kind, type DocumentNode } from 'graphql';

const counted = new WeakMap<DocumentNode, boolean>();

export function hasOneOperation(document: DocumentNode): boolean {
  let isSingle = counted.get(document);
  if (isSingle === undefined) {
    isSingle = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION).length === 1;
    counted.set(document, isSingle);
  }
  return isSingle;
}

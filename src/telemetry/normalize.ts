// The document of a slow operation, as the log shows it: every literal a client wrote (strings,
// numbers, lists, objects) replaced, so that no value of theirs reaches the logs, and the
// whitespace stripped. Variables are never logged at all.
import { Kind, print, stripIgnoredCharacters, visit, type DocumentNode } from 'graphql';

/** @default 10000 characters: a log line stays a line. */
const MAX_LENGTH = 10_000;

export function normalizedDocument(document: DocumentNode): string {
  const hidden = visit(document, {
    StringValue: () => ({ kind: Kind.STRING, value: '' }),
    IntValue: () => ({ kind: Kind.INT, value: '0' }),
    FloatValue: () => ({ kind: Kind.FLOAT, value: '0' }),
    ListValue: () => ({ kind: Kind.LIST, values: [] }),
    ObjectValue: () => ({ kind: Kind.OBJECT, fields: [] }),
  });
  const text = stripIgnoredCharacters(print(hidden));
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH)}…` : text;
}

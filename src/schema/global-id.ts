// Global ids: base64("<Type>:<id>"), opaque to clients. Parsing is strict, because the contract
// separates a malformed id (BAD_USER_INPUT) from a well-formed id of a missing object or of
// another type (null on reads, NOT_FOUND on writes).
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import { badUserInput, notFound, type InputProblem } from '../errors.js';

export type NodeTypename = 'User' | 'Post' | 'Comment';
export type GlobalId = { typename: string; id: number };

/** undefined when the text is not a global id this server could have made. */
export function decodeGlobalId(globalId: string): GlobalId | undefined {
  if (globalId.length > 64) return undefined;
  try {
    const { typename, id } = decodeGlobalID(globalId);
    if (!/^[A-Z][A-Za-z]{0,31}$/.test(typename) || !/^[1-9]\d{0,9}$/.test(id)) return undefined;
    const parsed = { typename, id: Number(id) };
    if (parsed.id > 2_147_483_647 || encodeGlobalID(typename, id) !== globalId) return undefined;
    return parsed;
  } catch {
    return undefined;
  }
}

export const malformedIdProblem = (field: string): InputProblem => ({
  field,
  message: `${field} is not a valid id: pass an \`id\` this API returned, as it is.`,
});

/** Parses one id argument; `field` is the argument's name as the client wrote it. */
export function parseGlobalId(globalId: string, field: string): GlobalId {
  const parsed = decodeGlobalId(globalId);
  if (!parsed) throw badUserInput([malformedIdProblem(field)]);
  return parsed;
}

/** Parses a list of ids, reporting every malformed one (`ids[3]`) at once. */
export function parseGlobalIds(globalIds: readonly string[], field: string): GlobalId[] {
  const parsed = globalIds.map(decodeGlobalId);
  const problems = parsed.flatMap((id, index) => (id ? [] : [malformedIdProblem(`${field}[${index}]`)]));
  if (problems.length > 0) throw badUserInput(problems);
  return parsed as GlobalId[];
}

/** The row id when the global id names this type; null for another type (a read then returns null). */
export function idOfType(globalId: GlobalId, typename: NodeTypename): number | null {
  return globalId.typename === typename ? globalId.id : null;
}

/**
 * The row id a mutation acts on. A well-formed id of another type names nothing this mutation
 * can act on: NOT_FOUND, as for a missing row (the caller checks that one in its transaction).
 */
export function idForWrite(globalId: GlobalId, typename: NodeTypename, shownAs: string): number {
  const id = idOfType(globalId, typename);
  if (id === null) throw notFound(`${typename} ${shownAs}`);
  return id;
}

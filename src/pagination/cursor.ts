// The cursor codec of every connection: base64url("<epoch ms>:<id>"), opaque to clients, exact to
// the millisecond we store.
// A cursor is a position, not an order: given to a list read the other way (posts' `order`), it
// means "after that row" in that list's order (model/keyset.ts, afterKeyset).
import type { Keyset } from '../model/keyset.js';

export function encodeCursor({ at, id }: Keyset): string {
  return Buffer.from(`${at.getTime()}:${id}`).toString('base64url');
}

/** undefined when the text is not a cursor this server could have made. */
export function decodeCursor(cursor: string): Keyset | undefined {
  if (cursor.length > 64) return undefined;
  const match = /^(\d{1,15}):(\d{1,10})$/.exec(Buffer.from(cursor, 'base64url').toString('latin1'));
  if (!match) return undefined;
  const keyset = { at: new Date(Number(match[1])), id: Number(match[2]) };
  // Only the canonical spelling: padding, stray characters or a lookalike are not cursors.
  if (keyset.id > 2_147_483_647 || encodeCursor(keyset) !== cursor) return undefined;
  return keyset;
}

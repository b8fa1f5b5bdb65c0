// Bounded answers (the contract's v1.1 "Bounded answers"): an error never echoes a client's value
// at length, and an error response stays small whatever the request held. graphql's own messages
// quote what the client wrote (`Cannot query field "<name>"`, `got invalid value <value>`), and a
// name can be one 1 MB token; a document can also fail validation in hundreds of places at once.
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/** @default 200 characters of client input quoted in any one place of a message. */
export const MAX_QUOTED_CHARS = 200;
/** @default 600 characters per message: two bounded quotes and the sentences around them. */
const MAX_MESSAGE_CHARS = 600;
/** @default 60 KiB of errors per response, leaving room under the contract's 64 KiB for the rest. */
const MAX_ERRORS_BYTES = 60 * 1024;

const ELLIPSIS = '…';
// A double-quoted stretch, as graphql quotes names and values ("\"" inside is escaped).
const QUOTED = /"((?:[^"\\]|\\.)*)"/g;

/** At most `max` characters of `text`, marked when cut (never splitting a surrogate pair). */
export function truncate(text: string, max = MAX_QUOTED_CHARS): string {
  if (text.length <= max) return text;
  let end = max;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return text.slice(0, end) + ELLIPSIS;
}

/** The message with every quoted stretch, and the whole, cut to their bounds. */
export function boundMessage(message: string): string {
  if (message.length <= MAX_QUOTED_CHARS) return message;
  const quotesCut = message.replace(QUOTED, (whole, inner: string) => (inner.length > MAX_QUOTED_CHARS ? `"${truncate(inner)}"` : whole));
  return truncate(quotesCut, MAX_MESSAGE_CHARS);
}

/** @default 20 entries of `details`: enough to fix a whole input object, never a list as long as the input. */
const MAX_DETAILS = 20;

/** `details: [{ field, message }]` with bounded messages and field paths, and at most MAX_DETAILS of them. */
export function boundDetails(details: unknown): unknown {
  if (!Array.isArray(details)) return details;
  return details.slice(0, MAX_DETAILS).map((detail: unknown) => {
    if (typeof detail !== 'object' || detail === null) return detail;
    const { field, message } = detail as { field?: unknown; message?: unknown };
    return {
      ...detail,
      ...(typeof field === 'string' ? { field: truncate(field) } : {}),
      ...(typeof message === 'string' ? { message: boundMessage(message) } : {}),
    };
  });
}

/**
 * As many of `errors` as fit in MAX_ERRORS_BYTES, in order, then one error saying how many were
 * left out (with the code of the first of those: fixing the ones shown is the way forward).
 */
export function boundErrorList<E extends GraphQLError | GraphQLFormattedError>(errors: readonly E[]): E[] {
  let bytes = 0;
  for (let i = 0; i < errors.length; i++) {
    bytes += JSON.stringify(errors[i]).length + 1;
    if (bytes > MAX_ERRORS_BYTES && i > 0) {
      const omitted = errors.length - i;
      const summary = new GraphQLError(
        `${omitted} more error${omitted === 1 ? ' was' : 's were'} left out of this response: fix the ones above and send it again.`,
        {
          extensions: errors[i]!.extensions as Record<string, unknown>,
        },
      );
      return [...errors.slice(0, i), summary as unknown as E];
    }
  }
  return [...errors];
}

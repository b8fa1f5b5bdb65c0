// drizzle wraps every driver failure (DrizzleQueryError) with the pg or PGlite error as `cause`,
// so what went wrong (a SQLSTATE, a constraint name, a socket code) is found down the chain, not
// on the error thrown. One walk for everyone who asks, so all ask with the same bound.

/** A cause chain is short; the bound is there so a cyclic one cannot hang the request. */
const MAX_LINKS = 5;

/** `error`, then its `cause`, and so on, while each is an object: at most MAX_LINKS of them. */
export function* causeChain(error: unknown): Generator<object> {
  let current = error;
  for (let depth = 0; depth < MAX_LINKS && current instanceof Object; depth++) {
    yield current;
    current = (current as { cause?: unknown }).cause;
  }
}

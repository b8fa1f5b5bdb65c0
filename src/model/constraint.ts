// Which constraint a failed statement violated, by name: database errors are mapped to
// contract errors on constraint names (src/db/schema.ts), never on message text.
/** Postgres SQLSTATE 23505: a unique index or constraint refused the row. */
const UNIQUE_VIOLATION = '23505';

/**
 * True when `error` (or the driver error it wraps: drizzle throws DrizzleQueryError with the
 * pg or PGlite error as `cause`) is a unique violation of the named constraint.
 */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  let current: unknown = error;
  // A bounded walk: a cause chain is short, and a cyclic one must not hang the request.
  for (let depth = 0; depth < 5 && current instanceof Object; depth++) {
    const { code, constraint: name, cause } = current as { code?: unknown; constraint?: unknown; cause?: unknown };
    if (code === UNIQUE_VIOLATION && name === constraint) return true;
    current = cause;
  }
  return false;
}

// Which constraint a failed statement violated, by name: database errors are mapped to
// contract errors on constraint names (src/db/schema.ts), never on message text.

/** Postgres SQLSTATE 23505: a unique index or constraint refused the row. */
const UNIQUE_VIOLATION = '23505';
/** Postgres SQLSTATE 23503: a row refers to one that does not exist (any more). */
const FOREIGN_KEY_VIOLATION = '23503';

export const isUniqueViolation = (error: unknown, constraint: string) => isViolation(error, UNIQUE_VIOLATION, constraint);
export const isForeignKeyViolation = (error: unknown, constraint: string) => isViolation(error, FOREIGN_KEY_VIOLATION, constraint);

/**
 * True when `error` (or the driver error it wraps: drizzle throws DrizzleQueryError with the
 * pg or PGlite error as `cause`) has this SQLSTATE and names this constraint.
 */
function isViolation(error: unknown, sqlState: string, constraint: string): boolean {
  let current: unknown = error;
  // A bounded walk: a cause chain is short, and a cyclic one must not hang the request.
  for (let depth = 0; depth < 5 && current instanceof Object; depth++) {
    const { code, constraint: name, cause } = current as { code?: unknown; constraint?: unknown; cause?: unknown };
    if (code === sqlState && name === constraint) return true;
    current = cause;
  }
  return false;
}

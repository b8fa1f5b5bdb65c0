// Which constraint a failed statement violated, by name: database errors are mapped to
// contract errors on constraint names (src/db/schema.ts), never on message text.
import { causeChain } from '../db/error-causes.js';

/** Postgres SQLSTATE 23505: a unique index or constraint refused the row. */
const UNIQUE_VIOLATION = '23505';
/** Postgres SQLSTATE 23503: a row refers to one that does not exist (any more). */
const FOREIGN_KEY_VIOLATION = '23503';

export const isUniqueViolation = (error: unknown, constraint: string) => isViolation(error, UNIQUE_VIOLATION, constraint);
export const isForeignKeyViolation = (error: unknown, constraint: string) => isViolation(error, FOREIGN_KEY_VIOLATION, constraint);

/** True when `error`, or the driver error it wraps, has this SQLSTATE and names this constraint. */
function isViolation(error: unknown, sqlState: string, constraint: string): boolean {
  for (const link of causeChain(error)) {
    const { code, constraint: name } = link as { code?: unknown; constraint?: unknown };
    if (code === sqlState && name === constraint) return true;
  }
  return false;
}

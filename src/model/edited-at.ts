// The `updated_at` an edit writes.
import { sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

/**
 * now(), but always later than the previous value: an edit must move updatedAt forward even when
 * two edits share a millisecond (the column keeps milliseconds) or the clock stepped back, or a
 * client comparing updatedAt would miss the edit.
 */
export const editedAt = (updatedAt: PgColumn): SQL<Date> => sql<Date>`greatest(now(), ${updatedAt} + interval '1 millisecond')`;

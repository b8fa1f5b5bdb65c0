// The tables: the source of the generated migrations in drizzle/ (npm run db:generate).
// Every keyset order the API serves has an index that matches it column for column, so a
// page is an index seek plus LIMIT whatever its depth. Names follow <table>_<cols>_idx and
// <table>_<cols>_key: errors are mapped by constraint name (src/model/).
import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

// Millisecond precision: cursors and DateTime carry milliseconds, so the stored value must be
// exactly what a cursor says, or keyset pages would skip or repeat rows.
const moment = (name: string) => timestamp(name, { withTimezone: true, precision: 3, mode: 'date' }).notNull().defaultNow();

export const users = pgTable(
  'users',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    name: text('name').notNull(),
    email: text('email').notNull(),
    /** argon2id (src/auth/password.ts); never the password itself. */
    passwordHash: text('password_hash').notNull(),
    /** Advanced by logOut: tokens carry the version they were issued at (src/auth/token.ts). */
    tokenVersion: integer('token_version').notNull().default(0),
    createdAt: moment('created_at'),
    updatedAt: moment('updated_at'),
  },
  (t) => [
    uniqueIndex('users_email_key').on(sql`lower(${t.email})`),
    index('users_created_at_id_idx').on(t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    // Serves users(search:), a case-insensitive substring match (ILIKE '%…%').
    index('users_name_trgm_idx').using('gin', sql`${t.name} gin_trgm_ops`),
  ],
);

export const posts = pgTable(
  'posts',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    authorId: integer('author_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    content: text('content').notNull(),
    createdAt: moment('created_at'),
    updatedAt: moment('updated_at'),
  },
  (t) => [
    index('posts_created_at_id_idx').on(t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('posts_author_id_created_at_id_idx').on(t.authorId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
  ],
);

export const comments = pgTable(
  'comments',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    postId: integer('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    authorId: integer('author_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    body: text('body').notNull(),
    createdAt: moment('created_at'),
  },
  (t) => [
    index('comments_post_id_created_at_id_idx').on(t.postId, t.createdAt, t.id),
    // Deleting a user cascades to their comments: without it that is a sequential scan.
    index('comments_author_id_idx').on(t.authorId),
  ],
);

export const follows = pgTable(
  'follows',
  {
    followerId: integer('follower_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    followeeId: integer('followee_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: moment('created_at'),
  },
  (t) => [
    primaryKey({ name: 'follows_pkey', columns: [t.followerId, t.followeeId] }),
    check('follows_no_self_follow_check', sql`${t.followerId} <> ${t.followeeId}`),
    // followers of a user, most recent follow first
    index('follows_followee_id_created_at_follower_id_idx').on(
      t.followeeId,
      t.createdAt.desc().nullsFirst(),
      t.followerId.desc().nullsFirst(),
    ),
    // whom a user follows, most recent follow first
    index('follows_follower_id_created_at_followee_id_idx').on(
      t.followerId,
      t.createdAt.desc().nullsFirst(),
      t.followeeId.desc().nullsFirst(),
    ),
  ],
);

export const likes = pgTable(
  'likes',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    postId: integer('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    createdAt: moment('created_at'),
  },
  (t) => [
    // (user, post) first: "has the viewer liked these posts?" is a seek per post.
    primaryKey({ name: 'likes_pkey', columns: [t.userId, t.postId] }),
    index('likes_post_id_created_at_user_id_idx').on(t.postId, t.createdAt.desc().nullsFirst(), t.userId.desc().nullsFirst()),
  ],
);

/**
 * Idempotency keys of mutations (the contract's Idempotency section): one row per identity and
 * key, claimed before the mutation runs and holding its response once it has.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    /** Whose key: `user:<id>`, or `address:<client address>` for anonymous callers. */
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    /** sha256 of the request body: the same key with another body is refused. */
    requestHash: text('request_hash').notNull(),
    /** Null while the first request runs; then the stored response. */
    responseStatus: integer('response_status'),
    responseBody: text('response_body'),
    /** A claim whose request never finished (the process died) is free again after this. */
    leaseExpiresAt: timestamp('lease_expires_at', { withTimezone: true, precision: 3, mode: 'date' }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3, mode: 'date' }).notNull(),
    createdAt: moment('created_at'),
  },
  (t) => [
    primaryKey({ name: 'idempotency_keys_pkey', columns: [t.scope, t.key] }),
    index('idempotency_keys_expires_at_idx').on(t.expiresAt),
  ],
);

export type UserRow = typeof users.$inferSelect;
export type PostRow = typeof posts.$inferSelect;
export type CommentRow = typeof comments.$inferSelect;

// Small deterministic data builders: given(app).user(), .post({ by }), … Rows get strictly
// increasing created_at (one second apart, from a fixed start) so every order is known.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { comments, follows, likes, posts, users, type CommentRow, type PostRow, type UserRow } from '../../src/db/schema.js';
import { hashPassword } from '../../src/auth/password.js';
import type { TestApp } from './test-app.js';

type WithGid<T> = T & { gid: string };

/** Every built user's password (hashed once: argon2 per user would slow the tests down). */
export const GIVEN_PASSWORD = 'given-password';
const passwordHashOnce = hashPassword(GIVEN_PASSWORD);

/** What the builders return, for tests that keep them in variables. */
export type Given = ReturnType<typeof given>;
export type GivenUser = Awaited<ReturnType<Given['user']>>;
export type GivenPost = Awaited<ReturnType<Given['post']>>;
export type GivenComment = Awaited<ReturnType<Given['comment']>>;

const clocks = new WeakMap<TestApp, number>();

export function given(app: TestApp) {
  const db = app.database.db;
  const tick = () => {
    const next = (clocks.get(app) ?? Date.parse('2026-01-01T00:00:00.000Z')) + 1000;
    clocks.set(app, next);
    return new Date(next);
  };
  let serial = 0;
  const builders = {
    async user(fields: Partial<Pick<UserRow, 'name' | 'email'>> = {}): Promise<WithGid<UserRow>> {
      const n = ++serial;
      const at = tick();
      const [row] = await db
        .insert(users)
        .values({
          name: fields.name ?? `User ${n}`,
          email: fields.email ?? `user${n}-${at.getTime()}@example.com`,
          passwordHash: await passwordHashOnce,
          createdAt: at,
          updatedAt: at,
        })
        .returning();
      return { ...row!, gid: encodeGlobalID('User', row!.id) };
    },
    async users(count: number): Promise<WithGid<UserRow>[]> {
      const list = [];
      for (let i = 0; i < count; i++) list.push(await builders.user());
      return list;
    },
    async post(fields: { by: UserRow; title?: string; content?: string }): Promise<WithGid<PostRow>> {
      const at = tick();
      const [row] = await db
        .insert(posts)
        .values({
          authorId: fields.by.id,
          title: fields.title ?? `Post at ${at.toISOString()}`,
          content: fields.content ?? 'Hello.',
          createdAt: at,
          updatedAt: at,
        })
        .returning();
      return { ...row!, gid: encodeGlobalID('Post', row!.id) };
    },
    /** `count` posts by `by` (or each by a new user), each with `commentsEach` comments. */
    async posts(count: number, options: { by?: UserRow; commentsEach?: number } = {}): Promise<WithGid<PostRow>[]> {
      const list = [];
      for (let i = 0; i < count; i++) {
        const post = await builders.post({ by: options.by ?? (await builders.user()) });
        for (let c = 0; c < (options.commentsEach ?? 0); c++) await builders.comment({ on: post, by: options.by ?? { id: post.authorId } });
        list.push(post);
      }
      return list;
    },
    async comment(fields: { on: PostRow; by: Pick<UserRow, 'id'>; body?: string }): Promise<WithGid<CommentRow>> {
      const at = tick();
      const [row] = await db
        .insert(comments)
        .values({ postId: fields.on.id, authorId: fields.by.id, body: fields.body ?? `Comment at ${at.toISOString()}`, createdAt: at })
        .returning();
      return { ...row!, gid: encodeGlobalID('Comment', row!.id) };
    },
    async follow(follower: UserRow, followee: UserRow): Promise<void> {
      await db.insert(follows).values({ followerId: follower.id, followeeId: followee.id, createdAt: tick() });
    },
    async like(user: UserRow, post: PostRow): Promise<void> {
      await db.insert(likes).values({ userId: user.id, postId: post.id, createdAt: tick() });
    },
  };
  return builders;
}

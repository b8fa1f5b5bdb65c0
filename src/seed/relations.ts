// Follows and likes: for each user (post), a fixed number of distinct other users, so the row
// counts are exact and the primary keys (follower, followee) and (user, post) never collide.
import type { Batch, World } from './batch.js';
import { createRandom, type Random } from './random.js';
import { anyTimeAfter, soonAfter } from './timeline.js';

export function* followBatches(world: World, batchRows: number): Generator<Batch> {
  const { signups, bases } = world;
  const perUser = world.sizes.followsPerUser;
  const random = createRandom(world.seed, 'follows');
  for (const [start, end] of parentChunks(signups.length, perUser, batchRows)) {
    const batch: Batch = { table: 'follows', followerId: [], followeeId: [], createdAt: [] };
    for (let follower = start; follower < end; follower++) {
      for (const followee of pickDistinct(random, signups.length, perUser, follower)) {
        batch.followerId.push(bases.users + 1 + follower);
        batch.followeeId.push(bases.users + 1 + followee);
        // People keep finding each other all year: any time after both signed up.
        batch.createdAt.push(anyTimeAfter(random, Math.max(signups[follower]!, signups[followee]!), world.nowMs));
      }
    }
    yield batch;
  }
}

export function* likeBatches(world: World, batchRows: number): Generator<Batch> {
  const { signups, postTimes, bases } = world;
  const perPost = world.sizes.likesPerPost;
  const random = createRandom(world.seed, 'likes');
  for (const [start, end] of parentChunks(postTimes.length, perPost, batchRows)) {
    const batch: Batch = { table: 'likes', userId: [], postId: [], createdAt: [] };
    for (let post = start; post < end; post++) {
      for (const user of pickDistinct(random, signups.length, perPost, -1)) {
        batch.userId.push(bases.users + 1 + user);
        batch.postId.push(bases.posts + 1 + post);
        batch.createdAt.push(soonAfter(random, Math.max(postTimes[post]!, signups[user]!), world.nowMs));
      }
    }
    yield batch;
  }
}

/** Parents [start, end) whose rows (perParent each) make about batchRows rows. */
function* parentChunks(parentCount: number, perParent: number, batchRows: number): Generator<[number, number]> {
  if (perParent === 0) return;
  const step = Math.max(1, Math.floor(batchRows / perParent));
  for (let start = 0; start < parentCount; start += step) yield [start, Math.min(start + step, parentCount)];
}

/**
 * `count` distinct indexes in [0, n), never `exclude` (−1: exclude none); the caller ensures
 * there are enough. Half the picks favour low indexes, the oldest users: early accounts gather
 * more followers and likes, as on a real network.
 */
export function pickDistinct(random: Random, n: number, count: number, exclude: number): number[] {
  const available = exclude >= 0 ? n - 1 : n;
  if (count * 2 > available) return shuffledPrefix(random, n, count, exclude);
  // Rejection sampling: with at most half the candidates taken, a pick repeats at most half
  // the time, so this stays fast.
  const picked = new Set<number>();
  while (picked.size < count) {
    const r = random.next();
    const candidate = r < 0.5 ? Math.floor(n * (2 * r) ** 2) : random.int(n);
    if (candidate !== exclude) picked.add(candidate);
  }
  return [...picked];
}

/** A partial Fisher–Yates shuffle: for dense picks (more than half of the candidates). */
function shuffledPrefix(random: Random, n: number, count: number, exclude: number): number[] {
  const candidates: number[] = [];
  for (let i = 0; i < n; i++) if (i !== exclude) candidates.push(i);
  for (let i = 0; i < count; i++) {
    const j = i + random.int(candidates.length - i);
    [candidates[i], candidates[j]] = [candidates[j]!, candidates[i]!];
  }
  return candidates.slice(0, count);
}

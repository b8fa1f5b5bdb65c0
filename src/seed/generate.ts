// The seed data, generated table by table in foreign-key order and handed out in batches of
// column arrays (what insert.ts sends as one unnest() statement). Deterministic: every table
// draws from its own streams (random.ts), and rows are produced in id order, so the batch size
// never changes a row.
import { Faker, base, en } from '@faker-js/faker';
import type { Batch, IdBases, World } from './batch.js';
import { clampSizes, type SeedOptions } from './options.js';
import { createRandom, hashSeed } from './random.js';
import { followBatches, likeBatches } from './relations.js';
import { createTextSource, type TextSource } from './text.js';
import { anyTimeAfter, orderByTime, postsEndMs, signupTimes, soonAfter } from './timeline.js';

export function* generateBatches(options: SeedOptions, bases: IdBases, batchRows: number): Generator<Batch> {
  const sizes = clampSizes(options);
  const nowMs = options.now.getTime();
  const text = createTextSource(options.seed);
  const signups = signupTimes(createRandom(options.seed, 'signups'), sizes.users, nowMs);
  yield* userBatches(options.seed, signups, bases.users, batchRows);

  const posts = postTimeline(options.seed, signups, sizes.postsPerUser, nowMs);
  yield* postBatches(options.seed, text, posts, bases, batchRows);

  const world: World = { sizes, seed: options.seed, nowMs, bases, signups, postTimes: posts.times };
  yield* commentBatches(world, text, batchRows);
  yield* followBatches(world, batchRows);
  yield* likeBatches(world, batchRows);
}

/** Rows [start, end) of a table, batchRows at a time. */
function* chunks(count: number, batchRows: number): Generator<[number, number]> {
  for (let start = 0; start < count; start += batchRows) yield [start, Math.min(start + batchRows, count)];
}

function* userBatches(seed: number, signups: Float64Array, baseId: number, batchRows: number): Generator<Batch> {
  const faker = new Faker({ locale: [en, base], seed: hashSeed(seed, 'names') });
  // RFC 2606 domains: seeded accounts can never send mail to a real person.
  const domains = ['example.com', 'example.net', 'example.org'];
  for (const [start, end] of chunks(signups.length, batchRows)) {
    const batch: Batch = { table: 'users', id: [], name: [], email: [], createdAt: [] };
    for (let i = start; i < end; i++) {
      const id = baseId + 1 + i;
      const first = faker.person.firstName();
      const last = faker.person.lastName();
      batch.id.push(id);
      batch.name.push(`${first} ${last}`);
      // The id makes it unique, in any case: the unique index is on lower(email).
      batch.email.push(`${emailPart(first)}.${emailPart(last)}.${id}@${domains[id % domains.length]}`);
      batch.createdAt.push(signups[i]!);
    }
    yield batch;
  }
}

const emailPart = (name: string) => name.toLowerCase().replace(/[^a-z]/g, '') || 'user';

/** Each user's posts, after they signed up; then all posts in time order, which is id order. */
function postTimeline(seed: number, signups: Float64Array, perUser: number, nowMs: number) {
  const random = createRandom(seed, 'post-times');
  const count = signups.length * perUser;
  const times = new Float64Array(count);
  const authors = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    authors[i] = Math.floor(i / perUser);
    times[i] = anyTimeAfter(random, signups[authors[i]!]!, postsEndMs(nowMs));
  }
  const order = orderByTime(times);
  return { times: times.map((_, i) => times[order[i]!]!), authors: authors.map((_, i) => authors[order[i]!]!) };
}

function* postBatches(
  seed: number,
  text: TextSource,
  posts: ReturnType<typeof postTimeline>,
  bases: IdBases,
  batchRows: number,
): Generator<Batch> {
  const random = createRandom(seed, 'post-text');
  for (const [start, end] of chunks(posts.times.length, batchRows)) {
    const batch: Batch = { table: 'posts', id: [], authorId: [], title: [], content: [], createdAt: [] };
    for (let i = start; i < end; i++) {
      batch.id.push(bases.posts + 1 + i);
      batch.authorId.push(bases.users + 1 + posts.authors[i]!);
      batch.title.push(text.title(random));
      batch.content.push(text.content(random));
      batch.createdAt.push(posts.times[i]!);
    }
    yield batch;
  }
}

function* commentBatches(world: World, text: TextSource, batchRows: number): Generator<Batch> {
  const { commentsPerPost } = world.sizes;
  const random = createRandom(world.seed, 'comment-times');
  const count = world.postTimes.length * commentsPerPost;
  const times = new Float64Array(count);
  const postIndexes = new Int32Array(count);
  const authors = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const post = Math.floor(i / commentsPerPost);
    const author = random.int(world.signups.length);
    postIndexes[i] = post;
    authors[i] = author;
    times[i] = soonAfter(random, Math.max(world.postTimes[post]!, world.signups[author]!), world.nowMs);
  }
  const order = orderByTime(times);
  const textRandom = createRandom(world.seed, 'comment-text');
  for (const [start, end] of chunks(count, batchRows)) {
    const batch: Batch = { table: 'comments', id: [], postId: [], authorId: [], body: [], createdAt: [] };
    for (let i = start; i < end; i++) {
      const row = order[i]!;
      batch.id.push(world.bases.comments + 1 + i);
      batch.postId.push(world.bases.posts + 1 + postIndexes[row]!);
      batch.authorId.push(world.bases.users + 1 + authors[row]!);
      batch.body.push(text.comment(textRandom));
      batch.createdAt.push(times[row]!);
    }
    yield batch;
  }
}

// postCreated and commentAdded over WebSocket: filters, viewer fields, id errors, and what one
// event costs in SQL for all its subscribers.
import { beforeAll, describe, expect, test } from 'vitest';
import { given, type GivenPost, type GivenUser } from '../support/given.js';
import { signIn, type Session } from '../support/sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { connectWs, untilLive, type Result } from '../support/ws-client.js';

let app: TestApp;
let alice: GivenUser;
let bob: GivenUser;
let aliceSession: Session;
let bobSession: Session;

beforeAll(async () => {
  app = await startTestApp();
  const users = await given(app).users(2);
  alice = users[0]!;
  bob = users[1]!;
  aliceSession = await signIn(app, alice!);
  bobSession = await signIn(app, bob!);
});

const POST_CREATED = `subscription($authorId: ID) { postCreated(authorId: $authorId) { id title author { name } } }`;

async function createPost(session: Session, title: string): Promise<{ id: string }> {
  const res = await app.query(
    `mutation($input: CreatePostInput!) { createPost(input: $input) { id } }`,
    { input: { title, content: 'Body.' } },
    session,
  );
  if (!res.data?.createPost) throw new Error(`createPost failed: ${JSON.stringify(res.body)}`);
  return res.data.createPost;
}

async function createComment(session: Session, postId: string, body: string): Promise<{ id: string }> {
  const res = await app.query(
    `mutation($input: CreateCommentInput!) { createComment(input: $input) { id } }`,
    { input: { postId, body } },
    session,
  );
  if (!res.data?.createComment) throw new Error(`createComment failed: ${JSON.stringify(res.body)}`);
  return res.data.createComment;
}

const isProbe = (result: Result) => (result.data?.postCreated?.title ?? result.data?.commentAdded?.body ?? '').startsWith('probe');
const titled = (title: string) => (result: Result) => result.data?.postCreated?.title === title;

describe('postCreated', () => {
  test('every new post reaches an unfiltered subscription, with its fields', async () => {
    const ws = connectWs(app.url);
    const sub = ws.subscribe(POST_CREATED);
    await untilLive(sub, (n) => createPost(bobSession, `probe ${n}`), isProbe);
    const post = await createPost(aliceSession, 'Hello, world');
    const result = await sub.waitFor(titled('Hello, world'));
    expect(result).toEqual({ data: { postCreated: { id: post.id, title: 'Hello, world', author: { name: alice.name } } } });
  });

  test("a filtered subscription gets its author's posts and never another author's", async () => {
    const ws = connectWs(app.url);
    const sub = ws.subscribe(POST_CREATED, { authorId: alice.gid });
    await untilLive(sub, (n) => createPost(aliceSession, `probe ${n}`), isProbe);
    const after = sub.results.length;
    await createPost(bobSession, 'by bob');
    await createPost(aliceSession, 'by alice');
    // Events reach a subscriber in publishing order: had bob's post passed the filter, it would come first.
    await sub.waitFor(titled('by alice'), { after });
    expect(
      sub.results
        .slice(after)
        .filter((r) => !isProbe(r))
        .map((r) => r.data.postCreated.title),
    ).toEqual(['by alice']);
  });

  test('authorId of no user is NOT_FOUND, a malformed one BAD_USER_INPUT, as an error message', async () => {
    const ws = connectWs(app.url);
    const missing = Buffer.from('User:999999').toString('base64');
    expect(await ws.subscribe(POST_CREATED, { authorId: missing }).ended).toMatchObject([{ extensions: { code: 'NOT_FOUND' } }]);
    const post = await given(app).post({ by: alice });
    expect(await ws.subscribe(POST_CREATED, { authorId: post.gid }).ended).toMatchObject([{ extensions: { code: 'NOT_FOUND' } }]);
    expect(await ws.subscribe(POST_CREATED, { authorId: 'garbage' }).ended).toMatchObject([
      { extensions: { code: 'BAD_USER_INPUT', details: [{ field: 'authorId' }] } },
    ]);
  });
});

describe('commentAdded', () => {
  let post: GivenPost;
  let other: GivenPost;
  beforeAll(async () => {
    post = await given(app).post({ by: alice });
    other = await given(app).post({ by: alice });
  });

  const COMMENT_ADDED = `subscription($postId: ID!) { commentAdded(postId: $postId) { id body author { name } post { id } } }`;

  test("a post's new comments arrive, and none of another post's", async () => {
    const ws = connectWs(app.url);
    const sub = ws.subscribe(COMMENT_ADDED, { postId: post.gid });
    await untilLive(sub, (n) => createComment(bobSession, post.gid, `probe ${n}`), isProbe);
    const after = sub.results.length;
    await createComment(bobSession, other.gid, 'elsewhere');
    const comment = await createComment(bobSession, post.gid, 'Nice post');
    const result = await sub.waitFor((r) => r.data?.commentAdded?.body === 'Nice post', { after });
    expect(result.data).toEqual({
      commentAdded: { id: comment.id, body: 'Nice post', author: { name: bob.name }, post: { id: post.gid } },
    });
    expect(
      sub.results
        .slice(after)
        .filter((r) => !isProbe(r))
        .map((r) => r.data.commentAdded.body),
    ).toEqual(['Nice post']);
  });

  test('a missing post is NOT_FOUND, another type of id NOT_FOUND, a malformed id BAD_USER_INPUT', async () => {
    const ws = connectWs(app.url);
    const missing = Buffer.from('Post:999999').toString('base64');
    expect(await ws.subscribe(COMMENT_ADDED, { postId: missing }).ended).toMatchObject([{ extensions: { code: 'NOT_FOUND' } }]);
    expect(await ws.subscribe(COMMENT_ADDED, { postId: alice.gid }).ended).toMatchObject([{ extensions: { code: 'NOT_FOUND' } }]);
    expect(await ws.subscribe(COMMENT_ADDED, { postId: 'not-an-id' }).ended).toMatchObject([
      { extensions: { code: 'BAD_USER_INPUT', details: [{ field: 'postId' }] } },
    ]);
  });
});

describe('one event, many subscribers', () => {
  const VIEWER_FIELDS = `subscription { postCreated { title viewerHasLiked likesCount author { name email } } }`;

  test('author.email is shown to its owner only: two viewers and an anonymous one see one event differently', async () => {
    const asAlice = connectWs(app.url, { token: aliceSession.token }).subscribe(VIEWER_FIELDS);
    const asBob = connectWs(app.url, { token: bobSession.token }).subscribe(VIEWER_FIELDS);
    const anonymous = connectWs(app.url).subscribe(VIEWER_FIELDS);
    for (const sub of [asAlice, asBob, anonymous]) await untilLive(sub, (n) => createPost(bobSession, `probe ${n}`), isProbe);
    await createPost(aliceSession, 'by alice');
    const [a, b, c] = await Promise.all([asAlice, asBob, anonymous].map((sub) => sub.waitFor(titled('by alice'))));
    expect(a!.data.postCreated).toEqual({
      title: 'by alice',
      viewerHasLiked: false,
      likesCount: 0,
      author: { name: alice.name, email: alice.email },
    });
    expect(b!.data.postCreated.author).toEqual({ name: alice.name, email: null });
    expect(c!.data.postCreated.author).toEqual({ name: alice.name, email: null });
  });

  test('viewerHasLiked is per viewer within one event', async () => {
    // A post bob has already liked when its event is resolved: a comment event on it carries the post.
    const post = await given(app).post({ by: alice });
    await app.query(`mutation($id: ID!) { likePost(postId: $id) { id } }`, { id: post.gid }, bobSession);
    const QUERY = `subscription($postId: ID!) { commentAdded(postId: $postId) { body post { viewerHasLiked likesCount } } }`;
    const asAlice = connectWs(app.url, { token: aliceSession.token }).subscribe(QUERY, { postId: post.gid });
    const asBob = connectWs(app.url, { token: bobSession.token }).subscribe(QUERY, { postId: post.gid });
    for (const sub of [asAlice, asBob]) await untilLive(sub, (n) => createComment(aliceSession, post.gid, `probe ${n}`), isProbe);
    await createComment(aliceSession, post.gid, 'the event');
    const isEvent = (r: Result) => r.data?.commentAdded?.body === 'the event';
    expect((await asAlice.waitFor(isEvent)).data.commentAdded.post).toEqual({ viewerHasLiked: false, likesCount: 1 });
    expect((await asBob.waitFor(isEvent)).data.commentAdded.post).toEqual({ viewerHasLiked: true, likesCount: 1 });
  });

  test('one event to 30 subscribers, 10 of them distinct viewers, costs a handful of statements', async () => {
    // An app of its own: no subscriber of the other tests listens.
    const app = await startTestApp();
    const [author, prober, ...viewers] = await given(app).users(12);
    const authorSession = await signIn(app, author!);
    const bobSession = await signIn(app, prober!);
    const createPost = async (session: Session, title: string) =>
      app.query(`mutation { createPost(input: { title: "${title}", content: "Body." }) { id } }`, undefined, session);
    const CREATE = `mutation { createPost(input: { title: "fan-out", content: "Body." }) { id } }`;
    // What the mutation itself costs, measured while nobody listens for its event.
    const alone = (await app.query(CREATE, undefined, authorSession)).statements;
    const sessions = await Promise.all(viewers.map((viewer) => signIn(app, viewer)));
    const QUERY = `subscription { postCreated { title viewerHasLiked likesCount commentsCount author { name postsCount viewerIsFollowing } } }`;
    const subs = [
      ...sessions.map((session) => connectWs(app.url, { token: session.token }).subscribe(QUERY)),
      ...Array.from({ length: 20 }, () => connectWs(app.url).subscribe(QUERY)),
    ];
    for (const sub of subs) await untilLive(sub, (n) => createPost(bobSession, `probe ${n}`), isProbe);
    // Earlier probes' events may still be under way: wait until every subscriber has seen a last one.
    await createPost(bobSession, 'probe last');
    await Promise.all(subs.map((sub) => sub.waitFor(titled('probe last'))));

    const before = app.database.statementCount;
    const after = subs.map((sub) => sub.results.length);
    await app.query(CREATE, undefined, authorSession);
    await Promise.all(subs.map((sub, i) => sub.waitFor(titled('fan-out'), { after: after[i] })));
    const fanOut = app.database.statementCount - before - alone;
    // The post (skipped if deleted meanwhile), its author, the three counts, and each flag of the
    // 10 viewers together: one statement per kind, never one per subscriber.
    expect(fanOut).toBe(7);
  });
});

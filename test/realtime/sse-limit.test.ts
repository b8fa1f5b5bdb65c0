// SSE streams per client address are capped, as WebSockets are (issue 11): one over the cap is
// 429 RATE_LIMITED, and a stream that ends, however it ends, frees its place.
import { beforeAll, expect, test } from 'vitest';
import { withDeadline } from '../support/child-server.js';
import { sseSubscribe, type SseStream } from '../support/sse-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const CAP = 3;
const POST_CREATED = `subscription { postCreated { id } }`;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ env: { SSE_MAX_STREAMS_PER_ADDRESS: String(CAP) } });
});

/** Retries while the server has not yet seen a closed stream's end (the client's abort travels over TCP). */
async function openOnceFreed(deadlineMs = 5_000): Promise<SseStream> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const stream = await sseSubscribe(app.url, POST_CREATED);
    if (stream.status === 200 || Date.now() > deadline) return stream;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('one SSE stream over the per-address cap is 429 RATE_LIMITED; closing one lets a new one in', async () => {
  const streams = await Promise.all(Array.from({ length: CAP }, () => sseSubscribe(app.url, POST_CREATED)));
  expect(streams.map((stream) => stream.status)).toEqual(Array(CAP).fill(200));

  const refused = await sseSubscribe(app.url, POST_CREATED);
  expect(refused.status).toBe(429);
  expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
  expect(refused.headers.get('x-request-id')).toBeTruthy();
  expect(refused.refusal.errors).toEqual([
    { message: expect.stringContaining(`${CAP}`), extensions: { code: 'RATE_LIMITED', retryAfter: expect.any(Number) } },
  ]);
  // Plain requests are not streams: the full cap does not stop them.
  expect((await app.query('{ posts(first: 1) { edges { node { id } } } }')).status).toBe(200);

  // The client aborts one stream: its place is free once the server sees the connection end.
  streams[0]!.close();
  await withDeadline(streams[0]!.done, 5_000, () => 'the aborted stream did not end');
  const replacement = await openOnceFreed();
  expect(replacement.status).toBe(200);
  expect((await sseSubscribe(app.url, POST_CREATED)).status).toBe(429);
});

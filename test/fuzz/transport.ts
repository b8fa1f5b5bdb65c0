// Sending a fuzzed request and reading whatever comes back, and watching /health meanwhile.
// The watcher runs in a worker thread: the test's own event loop is busy generating inputs, and
// a stall there must not be blamed on the server (nor hide one of the server's).
import { Worker } from 'node:worker_threads';
import { checkBody, type Answer } from './contract.js';
import type { FuzzRequest } from './requests.js';

/** Longer than any answer should take; a request still open then is a finding of its own. */
const ANSWER_TIMEOUT_MS = 10_000;
/** How long a stream (SSE, multipart) is read: its first events are what the guards answer. */
const STREAM_READ_MS = 300;

export async function send(origin: string, request: FuzzRequest): Promise<Answer & { eventProblems: string[] }> {
  const hasBody = request.body !== undefined && request.method !== 'GET' && request.method !== 'HEAD';
  const response = await fetch(origin + request.path, {
    method: request.method,
    headers: request.headers,
    body: hasBody ? (request.body as BodyInit) : undefined,
    redirect: 'manual',
    signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
  });
  const type = response.headers.get('content-type') ?? '';
  if (/text\/event-stream|multipart\/mixed/i.test(type) && response.body) {
    const text = await readFor(response.body, STREAM_READ_MS);
    return {
      status: response.status,
      headers: response.headers,
      bytes: Buffer.byteLength(text),
      text,
      streamed: true,
      eventProblems: checkEvents(text),
    };
  }
  const bytes = Buffer.from(await response.arrayBuffer());
  return {
    status: response.status,
    headers: response.headers,
    bytes: bytes.length,
    text: bytes.toString('utf8'),
    streamed: false,
    eventProblems: [],
  };
}

async function readFor(stream: ReadableStream<Uint8Array>, ms: number): Promise<string> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const deadline = Date.now() + ms;
  try {
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      const next = await Promise.race([reader.read(), new Promise<null>((resolve) => setTimeout(() => resolve(null), left))]);
      if (next === null || next.done) break;
      text += decoder.decode(next.value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => {
      // The stream may have failed already: there is nothing left to cancel.
    });
  }
  return text;
}

/** Each JSON payload of a stream (SSE `data:` lines, multipart parts) checked like a body. */
function checkEvents(text: string): string[] {
  const payloads = text.split(/\r?\n/).flatMap((line) => {
    const json = line.startsWith('data:') ? line.slice(5).trim() : line.startsWith('{') ? line : '';
    try {
      return json ? [JSON.parse(json)] : [];
    } catch {
      return [];
    }
  });
  return payloads.flatMap((payload) =>
    payload && typeof payload === 'object' ? checkBody(payload, { bytes: Buffer.byteLength(JSON.stringify(payload)) }) : [],
  );
}

export type HealthWatch = { stop(): Promise<{ polls: number; slow: { at: number; ms: number; outcome: string }[] }> };

/** Polls GET /health every `everyMs` from a worker thread; answers slower than `limitMs` (or not 200) are kept. */
export function watchHealth(url: string, limitMs = 1000, everyMs = 100): HealthWatch {
  const worker = new Worker(
    `
    const { parentPort, workerData } = require('node:worker_threads');
    const slow = [];
    let polls = 0;
    let running = true;
    parentPort.on('message', () => { running = false; });
    (async () => {
      while (running) {
        const started = performance.now();
        let outcome;
        try {
          const res = await fetch(workerData.url, { signal: AbortSignal.timeout(workerData.limitMs * 5) });
          await res.text();
          outcome = String(res.status);
        } catch (error) {
          outcome = String(error && error.name);
        }
        const ms = Math.round(performance.now() - started);
        polls++;
        if (ms > workerData.limitMs || outcome !== '200') slow.push({ at: Date.now(), ms, outcome });
        await new Promise((resolve) => setTimeout(resolve, workerData.everyMs));
      }
      parentPort.postMessage({ polls, slow });
    })();
    `,
    { eval: true, workerData: { url, limitMs, everyMs } },
  );
  let stopped: ReturnType<HealthWatch['stop']> | undefined;
  return {
    stop: () =>
      (stopped ??= new Promise((resolve, reject) => {
        worker.once('message', (result) => {
          void worker.terminate();
          resolve(result);
        });
        worker.once('error', reject);
        worker.postMessage('stop');
      })),
  };
}

// A subscription over SSE (POST with Accept: text/event-stream), read as an EventSource-like
// client would: each `next` event's data kept in order, the end of the response, and an abort.
// Every stream opened here is aborted after the file.
import { afterAll } from 'vitest';
import { resultLog, type Result, type WaitFor } from './ws-client.js';

export type SseStream = {
  status: number;
  headers: Headers;
  /** The response body when the server refused the stream (any status but 200), parsed. */
  refusal: any;
  results: Result[];
  waitFor: WaitFor<any>;
  /** Resolves when the response ends, whether the server ended it or close() did. */
  done: Promise<void>;
  close(): void;
};

const open = new Set<SseStream>();
afterAll(() => open.forEach((stream) => stream.close()));

export async function sseSubscribe(url: URL, query: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const abort = new AbortController();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify({ query }),
    signal: abort.signal,
  });
  const log = resultLog('SSE event');
  const refusal = response.status === 200 ? null : await response.json();
  const done = response.status !== 200 ? Promise.resolve() : readEvents(response, log.push);
  const stream: SseStream = {
    status: response.status,
    headers: response.headers,
    refusal,
    results: log.results,
    waitFor: log.waitFor,
    done,
    close: () => abort.abort(),
  };
  open.add(stream);
  return stream;
}

async function readEvents(response: Response, push: (result: Result) => void): Promise<void> {
  let buffer = '';
  const decoder = new TextDecoder();
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = frame.split('\n').find((line) => line.startsWith('data: '));
        if (frame.includes('event: next') && data) push(JSON.parse(data.slice(6)));
      }
    }
  } catch {
    // aborted by close(), or broken off by the server
  }
}

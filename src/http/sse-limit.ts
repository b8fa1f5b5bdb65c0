// At most N open SSE streams (Accept: text/event-stream on /graphql) per client address, as
// WebSockets are capped per address (src/realtime/ws.ts) but counted apart (issue 11): each
// stream holds a connection, a fan-out queue and its event loaders for as long as it stays open.
// A stream counts from its request until its response ends, however it ends (client abort,
// shutdown, a slow consumer dropped): Node's ServerResponse emits 'close' in every case.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import { rateLimitedBody } from '../errors.js';
import { clientAddress } from '../request/client-address.js';

/**
 * @default 5 s: the Retry-After of a refusal. No window runs out here: a slot frees when one of
 * the client's own streams ends. The hint keeps a client that retries blindly from hammering.
 */
const RETRY_AFTER_SECONDS = 5;

type NodeServerContext = { req?: IncomingMessage; res?: ServerResponse };

/** `refused`: told of each stream refused (the metrics' rate_limit_refusals_total, kind sse_streams). */
export function useSseStreamLimit(maxStreamsPerAddress: number, refused: () => void = () => undefined): Plugin {
  const perAddress = new Map<string, number>();
  const release = (key: string) => {
    const left = (perAddress.get(key) ?? 1) - 1;
    if (left > 0) perAddress.set(key, left);
    else perAddress.delete(key);
  };
  return {
    onRequest({ request, serverContext, endResponse, fetchAPI }) {
      if (!request.headers.get('accept')?.includes('text/event-stream')) return;
      const res = (serverContext as NodeServerContext | undefined)?.res;
      // Gone already (the client left before yoga got here): 'close' will not come again.
      if (!res || res.closed) return;
      const key = clientAddress(serverContext) ?? 'unknown';
      const count = perAddress.get(key) ?? 0;
      if (count >= maxStreamsPerAddress) {
        refused();
        const message = `At most ${maxStreamsPerAddress} open SSE streams per client: close one first.`;
        const body = rateLimitedBody(message, RETRY_AFTER_SECONDS);
        endResponse(
          new fetchAPI.Response(body, {
            status: 429,
            headers: { 'content-type': 'application/json; charset=utf-8', 'retry-after': String(RETRY_AFTER_SECONDS) },
          }),
        );
        return;
      }
      perAddress.set(key, count + 1);
      res.once('close', () => release(key));
    },
  };
}

// The soak's live subscribers, kept coming and going so that anything the server fails to
// release when a subscriber leaves (listeners, queues, per-socket state) piles up over the run:
// a pool of graphql-ws clients, each subscribed to postCreated and to commentAdded on the hot
// post, of which one is replaced every few seconds, alternately closed cleanly (dispose) and cut
// off (the TCP socket destroyed, the client reconnecting and resubscribing by itself); and a
// few SSE streams that each end after a while and are opened again.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { spread } from './soak-requests.mjs';
import { recordIncident } from './soak-tally.mjs';

const POST_CREATED = 'subscription soakPosts { postCreated { id title author { name } likesCount } }';
const COMMENT_ADDED = 'subscription soakComments($postId: ID!) { commentAdded(postId: $postId) { id body author { name } } }';
/** @default an SSE stream lives 15 to 45 s before its client leaves. */
const SSE_LIFETIME_MS = [15_000, 45_000];
/** Closes we cause ourselves: 1000 (dispose), 1006 (the socket destroyed), 4499 (graphql-ws's terminate). */
const OUR_CLOSE_CODES = [1000, 1006, 4499];

export function startStreams({ graphqlUrl, hotPostId, viewerTokens, tally, webSockets, sseStreams, churnPerMinute }) {
  const wsUrl = graphqlUrl.replace(/^http/, 'ws');
  const stats = { events: { postCreated: 0, commentAdded: 0, sse: 0 }, churned: { disposed: 0, cutOff: 0, sse: 0 }, sseOpen: 0 };
  let opened = 0;
  let isStopping = false;

  function openClient() {
    const n = opened++;
    const entry = { socket: null, isConnected: false };
    // The raw socket of each connection, to cut it off as a dropped network would.
    class TrackedSocket extends WebSocket {
      constructor(...args) {
        super(...args);
        entry.socket = this;
      }
    }
    entry.client = createClient({
      url: wsUrl,
      webSocketImpl: TrackedSocket,
      lazy: false,
      retryAttempts: 20,
      // Every other client signed in: viewer fields are then computed per viewer in the fan-out.
      connectionParams: n % 2 === 0 ? { authorization: `Bearer ${viewerTokens[n % viewerTokens.length]}` } : {},
      on: {
        connected: () => (entry.isConnected = true),
        closed: (event) => {
          entry.isConnected = false;
          if (!isStopping && !OUR_CLOSE_CODES.includes(event?.code))
            recordIncident(tally, `websocket closed ${event?.code}`, { reason: event?.reason });
        },
      },
      onNonLazyError: (error) => recordIncident(tally, `websocket: ${error?.code ?? error?.message ?? 'error'}`),
    });
    const sink = (field) => ({
      next: (result) => {
        if (result.errors) recordIncident(tally, `${field} event with errors`, { errors: JSON.stringify(result.errors).slice(0, 300) });
        else stats.events[field] += 1;
      },
      error: (error) =>
        recordIncident(tally, `${field} subscription failed`, { error: JSON.stringify(error?.message ?? error).slice(0, 300) }),
      complete: () => undefined,
    });
    entry.client.subscribe({ query: POST_CREATED }, sink('postCreated'));
    entry.client.subscribe({ query: COMMENT_ADDED, variables: { postId: hotPostId } }, sink('commentAdded'));
    return entry;
  }

  const pool = Array.from({ length: webSockets }, openClient);
  let turn = 0;
  const churn = setInterval(() => {
    const index = turn % pool.length;
    if (turn++ % 2 === 0) {
      pool[index].client.dispose();
      pool[index] = openClient();
      stats.churned.disposed += 1;
    } else if (pool[index].socket) {
      pool[index].socket.terminate(); // no close frame: the server learns of it from the TCP socket
      stats.churned.cutOff += 1;
    }
  }, 60_000 / churnPerMinute);

  const sseAborts = new Set();
  async function sseStream(n) {
    const abort = new AbortController();
    sseAborts.add(abort);
    const [shortest, longest] = SSE_LIFETIME_MS;
    const timer = setTimeout(() => abort.abort(), shortest + spread(n, longest - shortest));
    try {
      const response = await fetch(graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ query: POST_CREATED }),
        signal: abort.signal,
      });
      if (response.status !== 200)
        recordIncident(tally, `SSE answered ${response.status}`, { body: (await response.text()).slice(0, 300) });
      else await readEvents(response);
      if (!abort.signal.aborted && !isStopping) recordIncident(tally, 'SSE stream ended by the server');
    } catch (error) {
      if (!abort.signal.aborted) recordIncident(tally, `SSE: ${error.cause?.code ?? error.message}`);
    } finally {
      clearTimeout(timer);
      sseAborts.delete(abort);
    }
    if (!isStopping) {
      stats.churned.sse += 1;
      void sseStream(n + sseStreams);
    }
  }

  async function readEvents(response) {
    stats.sseOpen += 1;
    const decoder = new TextDecoder();
    let partial = ''; // a line split between chunks
    try {
      for await (const chunk of response.body) {
        const lines = (partial + decoder.decode(chunk, { stream: true })).split('\n');
        partial = lines.pop();
        stats.events.sse += lines.filter((line) => line === 'event: next').length;
      }
    } finally {
      stats.sseOpen -= 1;
    }
  }
  for (let n = 0; n < sseStreams; n++) void sseStream(n);

  return {
    /** What the clients hold: connected WebSockets (two subscriptions each), open SSE streams, events, churn. */
    stats: () => ({ ...structuredClone(stats), webSocketsConnected: pool.filter((entry) => entry.isConnected).length }),
    async stop() {
      isStopping = true;
      clearInterval(churn);
      for (const abort of sseAborts) abort.abort();
      await Promise.all(pool.map((entry) => entry.client.dispose()));
    },
  };
}

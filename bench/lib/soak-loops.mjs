// The soak's HTTP clients: `loops` loops at once, each sending one request at a time, in cycles
// of ten: a write (as one of its two writers, taking turns), the read that must show it, and
// eight reads; one request in 50 is a hostile one (2 %), sent instead of a read.
import { isDeepStrictEqual } from 'node:util';
import { HOSTILE_KINDS } from './soak-hostile.mjs';
import { READ_ROTATION, readRequest, writeRequest } from './soak-requests.mjs';
import { record } from './soak-tally.mjs';

/** @default one request in 50 is hostile. */
const HOSTILE_EVERY = 50;
/** @default 30000 ms: an answer that takes longer is counted as a timeout (and unexpected). */
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * Runs until isOver() says so. `writers`: two per loop (lib/mixed-writes.mjs's states);
 * `tokens.bad`: the hostile bad tokens. Never throws for an answer: every one is counted.
 */
export async function runLoops({ loops, graphqlUrl, population, writers, tokens, tally, isOver }) {
  let requestNumber = 0; // shared: spreads identities and ids over all loops
  let hostileNumber = 0;

  async function loop(index) {
    const states = [writers[2 * index], writers[2 * index + 1]];
    const address = `10.78.0.${index + 1}`;
    let sent = 0;
    let hostileSent = 0; // requests, a burst's all counted: hostile ones stay 1 in HOSTILE_EVERY
    for (let cycle = 0; !isOver(); cycle++) {
      const who = cycle % 2;
      // Each loop starts at another write: in step, all loops would create their posts in the same seconds.
      const k = Math.floor(cycle / 2) + index;
      const { write, request, check } = writeRequest(k, states[who], graphqlUrl, population, address);
      const written = await send(request, tally);
      sent += 1;
      if (written) {
        states[who] = write.apply(states[who], written.data);
        const read = check(states[who]);
        if (read) await sendCheck(read, tally);
        sent += read ? 1 : 0;
      }
      for (const name of READ_ROTATION) {
        if (isOver()) return;
        if (hostileSent < Math.floor((sent + 1) / HOSTILE_EVERY)) {
          const n = hostileNumber++;
          const kind = HOSTILE_KINDS[n % HOSTILE_KINDS.length];
          const requests = kind.requests(graphqlUrl, n, tokens);
          await sendHostile(kind, requests, tally);
          hostileSent += requests.length;
          sent += requests.length;
        } else {
          await send(readRequest(name, graphqlUrl, population, requestNumber++), tally);
          sent += 1;
        }
      }
    }
  }

  await Promise.all(Array.from({ length: loops }, (_, index) => loop(index)));
}

/** A well-behaved request: ok with 200 and data and no errors; its body when so, else null. */
async function send(request, tally) {
  const answer = await fetchAnswer(request);
  const isOk = answer.status === 200 && !answer.body?.errors && (answer.body?.data || answer.body?.success === true);
  if (isOk) record(tally, request.operation, 'ok');
  else record(tally, request.operation, 'unexpected', answer.status ?? answer.error, excerpt(answer));
  return isOk ? answer.body : null;
}

/** The read after a write: it must show the write (the response cache must not serve the answer from before). */
async function sendCheck(read, tally) {
  const answer = await fetchAnswer(read);
  if (answer.status !== 200 || answer.body?.errors)
    record(tally, read.operation, 'unexpected', answer.status ?? answer.error, excerpt(answer));
  else if (!isDeepStrictEqual(answer.body.data, read.expected))
    record(tally, read.operation, 'unexpected', 'stale read', { expected: read.expected, got: answer.body.data, cache: answer.cache });
  else record(tally, read.operation, 'ok');
}

async function sendHostile(kind, requests, tally) {
  const answers = await Promise.all(requests.map(fetchAnswer));
  for (const answer of answers) {
    const verdict = kind.judge(answer);
    record(tally, kind.name, verdict ?? 'unexpected', verdict ? null : (answer.status ?? answer.error), excerpt(answer));
  }
}

/** { status, body (parsed JSON, or null), cache (X-Cache) } or { error } when no answer came. */
async function fetchAnswer({ method, url, headers, body }) {
  try {
    const response = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    const text = await response.text();
    let parsed = null;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { unparsable: text.slice(0, 200) };
    }
    return { status: response.status, body: parsed, cache: response.headers.get('x-cache') };
  } catch (error) {
    return { error: error.name === 'TimeoutError' ? 'timeout' : (error.cause?.code ?? error.message) };
  }
}

const excerpt = (answer) => ({
  status: answer.status ?? null,
  error: answer.error ?? null,
  body: JSON.stringify(answer.body ?? null).slice(0, 300),
});

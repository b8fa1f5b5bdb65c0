// GraphiQL at GET /graphql for browsers, by yoga's own rule (Accept includes text/html), served
// from memory: precompressed, revalidated by ETag, loading nothing from elsewhere
// (graphiql-page.ts). The response ends here, in onRequest, so onResponse plugins
// (X-Request-ID, CORS) still add their headers.
import { shouldRenderGraphiQL, type FetchAPI, type Plugin } from 'graphql-yoga';
import { createGraphiQLPage } from './graphiql-page.js';
import { isCurrent } from './etag.js';
import { pickEncoding } from './precompressed.js';
import { mergeVary } from './vary.js';

/** What a first visit shows: the API's main shapes, runnable as is. */
export const DEFAULT_QUERY = `# Social GraphQL: press ▶ (or Ctrl-Enter) to run this.
# The Docs panel (first icon on the left) describes
# every type, field and argument.
#
# Lists are connections: ask for \`first\` items (1–100;
# 20 when absent). While pageInfo.hasNextPage is true,
# pass pageInfo.endCursor as \`after\` for the next page.
#
# Ids are opaque: node(id:), post(id:) and user(id:)
# fetch an object again by its id.
query Explore {
  # The newest posts, who wrote them, how people reacted.
  posts(first: 5) {
    edges {
      node {
        id
        title
        createdAt
        author {
          name
          followersCount
        }
        likesCount
        commentsCount
        # A preview: the first two comments, oldest first.
        comments(first: 2) {
          edges {
            node {
              body
              author {
                name
              }
            }
          }
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
  # Users whose name contains "an" (any case).
  users(search: "an", first: 3) {
    edges {
      node {
        id
        name
        postsCount
        followersCount
      }
    }
  }
}
`;

export function useGraphiQL(path: string): Plugin {
  const page = createGraphiQLPage({
    title: 'Social GraphQL',
    defaultQuery: DEFAULT_QUERY,
    // No `endpoint`: the page queries the URL it was loaded from (location.pathname), which
    // stays right behind a proxy that mounts us under a prefix.
    // Subscriptions run over graphql-ws on this same path (src/realtime/ws.ts); the socket opens
    // only when one runs.
    subscriptionsProtocol: 'WS',
  });
  const answered = new WeakSet<Request>();
  return {
    // Not async: a POST, which every API request is, leaves at once, with no promise made.
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (request.method !== 'GET' || url.pathname !== path || !shouldRenderGraphiQL(request)) return;
      answered.add(request);
      return answerPage(request, url, endResponse, fetchAPI);
    },
    onResponse({ request, response }) {
      // yoga's CORS replaces our Vary when the request has an Origin (./vary.ts).
      if (answered.has(request)) response.headers.set('vary', mergeVary(response.headers.get('vary'), VARY));
    },
  };

  async function answerPage(request: Request, url: URL, endResponse: (response: Response) => void, fetchAPI: FetchAPI): Promise<void> {
    const { body, etag, contentSecurityPolicy, encoding } = await page(pickEncoding(request.headers.get('accept-encoding')));
    const headers: Record<string, string> = {
      etag,
      // no-cache (store, but ask each time): a deploy's new page shows on the next load, and
      // asking costs one round trip and a bodyless 304.
      'cache-control': 'no-cache',
      vary: VARY,
    };
    if (isCurrent(request.headers.get('if-none-match'), etag)) {
      endResponse(new fetchAPI.Response(null, { status: 304, headers }));
      return;
    }
    if (encoding !== 'identity') headers['content-encoding'] = encoding;
    headers['content-type'] = 'text/html; charset=utf-8';
    headers['content-security-policy'] = withSocketsTo(contentSecurityPolicy, url.host);
    endResponse(new fetchAPI.Response(body, { status: 200, headers }));
  }
}

/**
 * connect-src 'self' covers ws:/wss: to this host in CSP Level 3, but not in every browser still
 * in use (older Safari): name this host's WebSocket origins too, for GraphiQL's subscriptions.
 */
function withSocketsTo(policy: string, host: string): string {
  return policy.replace("connect-src 'self'", `connect-src 'self' ws://${host} wss://${host}`);
}

// The same URL answers API clients with JSON, so caches must key on Accept too.
const VARY = 'Accept, Accept-Encoding';

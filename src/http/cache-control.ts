// Cache-Control of a successful GET answer (the contract's "Caching"), on /graphql and /v1 alike.
// An answer to a request with a token depends on the viewer: only their own cache may keep it,
// and must ask again each time. An anonymous answer is the same for everyone: `no-cache` (keep
// it, ask again: a 304 costs no body), or, when CACHE_PUBLIC_MAX_AGE_SECONDS is set, `public,
// max-age=N`: a CDN or browser then answers for N seconds without asking, trading N seconds of
// freshness (a write is not seen through it until then) for the requests it takes off the server.

/** The Cache-Control of a 200 GET answer to `request`. */
export type CacheControl = (request: Request) => string;

export function cacheControl(publicMaxAgeSeconds: number | null): CacheControl {
  const anonymous = publicMaxAgeSeconds === null ? 'no-cache' : `public, max-age=${publicMaxAgeSeconds}`;
  return (request) => (request.headers.has('authorization') ? 'private, no-cache' : anonymous);
}

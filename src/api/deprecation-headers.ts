// The headers of a response that used something deprecated: Deprecation (RFC 9745), Sunset
// (RFC 8594) and a Link to the policy (rel="deprecation", RFC 9745 §3).
import { dayToMs, type Deprecation } from './deprecation-registry.js';

/** Where the deprecation policy is explained: relative, so it names this server whatever its host. */
export const DEPRECATION_DOCS_URL = '/v1/docs#section/Deprecations';

export type DeprecationHeaders = { Deprecation: string; Sunset: string; Link: string };

/**
 * The headers for a response that used these deprecated things; null when there are none. With
 * several, the response is deprecated since the earliest `since` and sunsets at the earliest
 * `sunset`: the first thing to go decides when the request stops working as sent.
 */
export function deprecationHeaders(entries: readonly Deprecation[]): DeprecationHeaders | null {
  if (entries.length === 0) return null;
  const sinceMs = Math.min(...entries.map((entry) => dayToMs(entry.target, entry.since)));
  const sunsetMs = Math.min(...entries.map((entry) => dayToMs(entry.target, entry.sunset)));
  return {
    // RFC 9745: a structured-field date, seconds since the epoch.
    Deprecation: `@${String(sinceMs / 1000)}`,
    // RFC 8594: an HTTP-date; toUTCString prints the IMF-fixdate form.
    Sunset: new Date(sunsetMs).toUTCString(),
    Link: `<${DEPRECATION_DOCS_URL}>; rel="deprecation"; type="text/html"`,
  };
}

// GET /metrics as a Prometheus scraper reads it: the text, and the value of one series in it.
import { expect } from 'vitest';
import type { TestApp } from './test-app.js';

/** Where a server serves /metrics: a TestApp, or any server named by its metrics URL. */
type Scraped = Pick<TestApp, 'metricsUrl'>;

export async function scrape(app: Scraped): Promise<string> {
  const res = await fetch(app.metricsUrl);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

/** The value of one sample, e.g. sample(text, 'graphql_errors_total{code="BAD_USER_INPUT"}'); 0 when absent. */
export function sample(text: string, series: string): number {
  const line = text.split('\n').find((row) => row.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

/**
 * Scrapes until `series` has `value`, as a dashboard would see it settle (what the server counts
 * after it answers, e.g. a socket's close, lands a moment later); the last scrape's text.
 */
export async function scrapeUntil(app: Scraped, series: string, value: number, timeoutMs = 5_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = await scrape(app);
  while (sample(text, series) !== value && Date.now() < deadline) {
    // Not faster: the main port serves one address 60 scrapes a minute.
    await new Promise((resolve) => setTimeout(resolve, 150));
    text = await scrape(app);
  }
  return text;
}

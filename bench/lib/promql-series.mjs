// The few PromQL shapes the dashboard uses, each built once as both its PromQL text (for
// Grafana, lib/grafana-dashboard.mjs) and its evaluation over the soak's scrapes (for the
// picture, lib/dashboard-render.mjs): the two cannot drift apart. A scrape is { t (seconds),
// samples: { <sample name>: [[labels, value], …] } } (lib/prometheus-text.mjs). An expression's
// `at(scrapes, i)` is its instant vector at scrape i: Map(label key → { labels, value }).
//
// rate() here is over one scrape interval (the soak's 5 s), where Grafana uses $__rate_interval
// (at least four scrape intervals): the picture is the noisier of the two, never smoother.

/** The dashboard's template variables: every selector is narrowed by them. */
const TEMPLATE_MATCHERS = ['job=~"$job"', 'instance=~"$instance"'];

/** `metric{…}`; matchers: { label: 'value' } for =, { label: ['a', 'b'] } for =~"a|b". */
export function selector(metric, matchers = {}) {
  const extra = Object.entries(matchers).map(([label, value]) =>
    Array.isArray(value) ? `${label}=~"${value.join('|')}"` : `${label}="${value}"`,
  );
  const isMatch = (labels) =>
    Object.entries(matchers).every(([label, value]) => (Array.isArray(value) ? value.includes(labels[label]) : labels[label] === value));
  return {
    text: `${metric}{${[...TEMPLATE_MATCHERS, ...extra].join(', ')}}`,
    metrics: [metric],
    at: (scrapes, i) => toVector((scrapes[i].samples[metric] ?? []).filter(([labels]) => isMatch(labels))),
  };
}

/** Per-second increase between scrape i-1 and i; a series needs both samples, as in Prometheus. */
export function rate(inner) {
  return {
    text: `rate(${inner.text}[$__rate_interval])`,
    metrics: inner.metrics,
    at(scrapes, i) {
      const result = new Map();
      if (i === 0) return result;
      const before = inner.at(scrapes, i - 1);
      const seconds = scrapes[i].t - scrapes[i - 1].t;
      for (const [key, { labels, value }] of inner.at(scrapes, i)) {
        const previous = before.get(key);
        if (previous?.value == null || value === null || seconds <= 0) continue;
        // A drop is a counter reset (a restart): the new value is all that accrued since.
        const increase = value >= previous.value ? value - previous.value : value;
        result.set(key, { labels, value: increase / seconds });
      }
      return result;
    },
  };
}

/** sum by (labels) (inner); sum (inner) when `labels` is empty. */
export function sumBy(labels, inner) {
  return {
    text: labels.length === 0 ? `sum(${inner.text})` : `sum by (${labels.join(', ')}) (${inner.text})`,
    metrics: inner.metrics,
    at(scrapes, i) {
      const result = new Map();
      for (const { labels: all, value } of inner.at(scrapes, i).values()) {
        if (value === null) continue;
        const kept = Object.fromEntries(labels.filter((label) => label in all).map((label) => [label, all[label]]));
        const key = keyOf(kept);
        const sum = result.get(key);
        result.set(key, { labels: kept, value: (sum?.value ?? 0) + value });
      }
      return result;
    },
  };
}

/** histogram_quantile(q, inner): inner keeps `le` (sum by (le, …) (rate(x_bucket))). */
export function histogramQuantile(q, inner) {
  return {
    text: `histogram_quantile(${q}, ${inner.text})`,
    metrics: inner.metrics,
    at(scrapes, i) {
      const groups = new Map();
      for (const { labels, value } of inner.at(scrapes, i).values()) {
        const { le, ...rest } = labels;
        const key = keyOf(rest);
        if (!groups.has(key)) groups.set(key, { labels: rest, buckets: [] });
        groups.get(key).buckets.push({ upperBound: le === '+Inf' ? Infinity : Number(le), count: value });
      }
      const result = new Map();
      for (const [key, { labels, buckets }] of groups) {
        const value = bucketQuantile(q, buckets);
        if (value !== null) result.set(key, { labels, value });
      }
      return result;
    },
  };
}

/** a / b, series matched on identical label sets; a zero divisor leaves a gap, as NaN would. */
export function divide(a, b) {
  return {
    text: `${a.text} / ${b.text}`,
    metrics: [...a.metrics, ...b.metrics],
    at(scrapes, i) {
      const divisors = b.at(scrapes, i);
      const result = new Map();
      for (const [key, { labels, value }] of a.at(scrapes, i)) {
        const divisor = divisors.get(key)?.value;
        if (divisor) result.set(key, { labels, value: value / divisor });
      }
      return result;
    },
  };
}

/**
 * Prometheus's bucketQuantile: linear interpolation inside the bucket the rank falls in; the
 * lowest bucket starts at 0; a rank in the +Inf bucket answers the highest finite bound. null
 * when nothing was observed (Prometheus: NaN, a gap in the graph).
 */
export function bucketQuantile(q, buckets) {
  const sorted = [...buckets].sort((x, y) => x.upperBound - y.upperBound);
  if (sorted.length < 2 || sorted.at(-1).upperBound !== Infinity) return null;
  // Rates of cumulative counts can come out slightly non-monotonic (float sums): make them monotonic.
  for (let k = 1; k < sorted.length; k++) sorted[k].count = Math.max(sorted[k].count, sorted[k - 1].count);
  const observations = sorted.at(-1).count;
  if (!(observations > 0)) return null;
  const rank = q * observations;
  const b = sorted.findIndex((bucket) => bucket.count >= rank);
  if (b === sorted.length - 1) return sorted.at(-2).upperBound;
  if (b === 0 && sorted[0].upperBound <= 0) return sorted[0].upperBound;
  const start = b === 0 ? 0 : sorted[b - 1].upperBound;
  const below = b === 0 ? 0 : sorted[b - 1].count;
  const inBucket = sorted[b].count - below;
  return start + (sorted[b].upperBound - start) * ((rank - below) / inBucket);
}

/** Each series of a target over all scrapes: [{ labels, points: [[t, value | null], …] }]. */
export function evaluate(expression, scrapes) {
  const series = new Map();
  scrapes.forEach((scrape, i) => {
    for (const [key, { labels, value }] of expression.at(scrapes, i)) {
      if (!series.has(key)) series.set(key, { labels, points: scrapes.map((s) => [s.t, null]) });
      series.get(key).points[i][1] = value;
    }
  });
  return [...series.values()];
}

/** Grafana's legendFormat: {{label}} replaced by the series' value of it. */
export const formatLegend = (legend, labels) => legend.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, label) => labels[label] ?? '');

const toVector = (samples) => new Map(samples.map(([labels, value]) => [keyOf(labels), { labels, value }]));
const keyOf = (labels) =>
  JSON.stringify(
    Object.keys(labels)
      .sort()
      .map((label) => [label, labels[label]]),
  );

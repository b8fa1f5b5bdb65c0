// bench/soak-chart.svg: a soak run over time, four panels stacked on one time axis: RSS and heap
// used, event-loop delay, requests/s as the clients counted them, and a strip of the
// unexpected answers and expected refusals per scrape interval. The 1, 10 and 20-minute points
// (where SOAK.md reports memory) and the end of the load are marked.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MARK_MINUTES, requestRates } from './soak-summary.mjs';
import { total } from './soak-tally.mjs';
import { PLOT_MARGIN, linePanel, round, svgDocument, text } from './svg-plot.mjs';

const WIDTH = 900;
const PANEL_HEIGHT = 190;
const STRIP_HEIGHT = 74;
const TOP = 48;

export function renderSoakChart(run, summary) {
  const scrapes = run.scrapes;
  const timeRange = [0, scrapes.at(-1).t];
  const marks = [
    ...MARK_MINUTES.map((minutes) => ({ t: minutes * 60, label: `${minutes} min` })),
    { t: run.loadEndedAt, label: 'load ends' },
  ];
  const over = (pick) => scrapes.map((s) => [s.t, pick(s)]);
  const panels = [
    {
      title: 'Memory: RSS and heap used',
      unit: 'bytes',
      series: [
        { name: 'RSS', colour: '#1f78c1', points: over((s) => s.server.rssBytes) },
        { name: 'heap used', colour: '#7eb26d', points: over((s) => s.server.heapUsedBytes) },
      ],
    },
    {
      title: 'Event-loop delay',
      unit: 's',
      series: [
        { name: 'p99', colour: '#e24d42', points: over((s) => s.server.lagP99Seconds) },
        { name: 'p50', colour: '#eab839', points: over((s) => s.server.lagP50Seconds) },
      ],
    },
    {
      title: 'Requests/s (counted by the clients)',
      unit: 'reqps',
      series: [{ name: 'all requests', colour: '#705da0', points: requestRates(scrapes) }],
    },
  ];
  const parts = [
    `<rect width="${WIDTH}" height="${TOP + panels.length * PANEL_HEIGHT + STRIP_HEIGHT + 8}" fill="#f4f5f5"/>`,
    text(12, 22, `Soak: ${run.minutes} min of mixed load on one server process`, 'font-size="15" font-weight="600" fill="#111827"'),
    text(12, 38, subtitle(run, summary), 'font-size="11" fill="#4b5563"'),
  ];
  panels.forEach((panel, index) => {
    parts.push(
      linePanel({
        ...panel,
        x: 8,
        y: TOP + index * PANEL_HEIGHT,
        width: WIDTH - 16,
        height: PANEL_HEIGHT - 6,
        timeRange,
        marks,
        legendLines: 1,
      }),
    );
  });
  parts.push(errorStrip(run, 8, TOP + panels.length * PANEL_HEIGHT, WIDTH - 16, timeRange));
  return svgDocument(WIDTH, TOP + panels.length * PANEL_HEIGHT + STRIP_HEIGHT + 8, `Soak run, ${run.date.slice(0, 10)}`, parts);
}

export function writeSoakChart(run, summary, file) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, renderSoakChart(run, summary));
}

/** Per scrape interval: unexpected answers as red bars (with their count), expected refusals as grey ticks. */
function errorStrip(run, x, y, width, [t0, t1]) {
  const left = x + PLOT_MARGIN.left;
  const right = x + width - PLOT_MARGIN.right;
  const xOf = (t) => left + ((t - t0) / Math.max(1, t1 - t0)) * (right - left);
  const base = y + STRIP_HEIGHT - 26;
  const counts = run.scrapes.slice(1).map((scrape, i) => {
    const before = run.scrapes[i].client;
    return {
      t0: run.scrapes[i].t,
      t1: scrape.t,
      unexpected: total(scrape.client.unexpected) - total(before.unexpected),
      refused: total(scrape.client.refused) - total(before.refused),
    };
  });
  const mostRefused = Math.max(1, ...counts.map((c) => c.refused));
  const parts = [
    `<rect x="${x + 0.5}" y="${y + 0.5}" width="${width - 1}" height="${STRIP_HEIGHT - 7}" rx="3" fill="#ffffff" stroke="#d8d9da"/>`,
    text(
      x + 8,
      y + 15,
      `Errors per interval: unexpected ${total(run.totals.unexpected)} (red, counted) · expected refusals ${total(run.totals.refused)} (grey)`,
      'font-size="12" font-weight="600" fill="#1f2937"',
    ),
    `<line x1="${left}" x2="${right}" y1="${base}" y2="${base}" stroke="#9ca3af"/>`,
  ];
  for (const c of counts) {
    const barX = round(xOf(c.t0) + 0.5);
    const barWidth = round(Math.max(1, xOf(c.t1) - xOf(c.t0) - 1));
    const height = round((c.refused / mostRefused) * 18);
    parts.push(`<rect x="${barX}" y="${base - height}" width="${barWidth}" height="${height}" fill="#c7cbd1"/>`);
    if (c.unexpected > 0) {
      parts.push(`<rect x="${barX}" y="${base - 22}" width="${barWidth}" height="22" fill="#e24d42" opacity="0.85"/>`);
      parts.push(text(barX + barWidth / 2, base - 25, String(c.unexpected), 'font-size="9" fill="#b91c1c" text-anchor="middle"'));
    }
  }
  return parts.join('\n');
}

function subtitle(run, summary) {
  const s = run.settings;
  return (
    `${run.date.slice(0, 16).replace('T', ' ')}Z · ${s.loops} loops, ${s.webSockets} WebSockets, ${s.sseStreams} SSE streams · ` +
    `${summary.requests.total.toLocaleString('en')} requests · RSS, second half: ${summary.rssSlopeMibPerMinute} MiB/min, ${summary.verdict}`
  );
}

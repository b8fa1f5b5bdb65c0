// A picture of the Grafana dashboard (ops/grafana-dashboard.json) over one soak run: the same
// rows, titles, layout and queries (lib/dashboard-panels.mjs), evaluated on the /metrics
// samples the soak kept at each scrape (lib/promql-series.mjs), as one self-contained SVG.
//
// Redraw from a soak's raw series: node bench/lib/dashboard-render.mjs bench/results/soak-….json [bench/dashboard.svg]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { GRID_COLUMNS, layOut } from './dashboard-panels.mjs';
import { evaluate, formatLegend } from './promql-series.mjs';
import { colourAt, linePanel, svgDocument, text } from './svg-plot.mjs';

const ROOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DASHBOARD_PICTURE = path.join(ROOT_DIR, 'bench', 'dashboard.svg');

const WIDTH = 1200;
const COLUMN = WIDTH / GRID_COLUMNS;
/** @default 34 px per grid unit (Grafana's is 30): room for a legend of a dozen operations. */
const UNIT = 34;
const HEADER = 56;
const GAP = 4;

/** `run`: a soak's raw series (bench/soak.mjs): { scrapes, scrapeLabels, date, minutes, … }. */
export function renderDashboard(run) {
  // Prometheus attaches job and instance to every sample it scrapes; the soak's samples are as served.
  const scrapes = run.scrapes.map((scrape) => ({ t: scrape.t, samples: withLabels(scrape.samples, run.scrapeLabels) }));
  const timeRange = [scrapes[0].t, scrapes.at(-1).t];
  const placed = layOut();
  const height = HEADER + Math.max(...placed.map(({ gridPos }) => gridPos.y + gridPos.h)) * UNIT;
  const parts = [
    `<rect width="${WIDTH}" height="${height}" fill="#f4f5f5"/>`,
    text(
      12,
      24,
      'social-graphql: the Grafana dashboard (ops/grafana-dashboard.json) over a soak run',
      'font-size="15" font-weight="600" fill="#111827"',
    ),
    text(12, 42, describe(run), 'font-size="11" fill="#4b5563"'),
  ];
  for (const item of placed) {
    const x = item.gridPos.x * COLUMN + GAP / 2;
    const y = HEADER + item.gridPos.y * UNIT + GAP / 2;
    if (item.kind === 'row') {
      parts.push(text(x + 4, y + UNIT / 2 + 5, item.title, 'font-size="13" font-weight="600" fill="#374151"'));
      continue;
    }
    const series = item.targets.flatMap(({ expression, legend }) =>
      evaluate(expression, scrapes).map(({ labels, points }) => ({ name: formatLegend(legend, labels), points })),
    );
    series.sort((a, b) => a.name.localeCompare(b.name));
    const width = item.gridPos.w * COLUMN - GAP;
    parts.push(
      linePanel({
        x,
        y,
        width,
        height: item.gridPos.h * UNIT - GAP,
        title: item.title,
        unit: item.unit,
        timeRange,
        series: series.map((s, index) => ({ ...s, colour: colourAt(index) })),
        legendLines: series.length > 4 * Math.floor((width - 20) / 150) ? 5 : 4,
      }),
    );
  }
  return svgDocument(WIDTH, height, `social-graphql dashboard over a ${run.minutes}-minute soak`, parts);
}

export function writeDashboard(run, file = DASHBOARD_PICTURE) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, renderDashboard(run));
}

function withLabels(samples, labels) {
  return Object.fromEntries(
    Object.entries(samples).map(([name, list]) => [name, list.map(([own, value]) => [{ ...own, ...labels }, value])]),
  );
}

function describe(run) {
  const scrapeSeconds = run.settings?.scrapeSeconds ?? 5;
  return `${run.date.slice(0, 16).replace('T', ' ')}Z · ${run.minutes}-minute soak (bench/SOAK.md) · x axis: minutes · rates over one ${scrapeSeconds} s scrape interval (Grafana: $__rate_interval)`;
}

// Run as a script: redraw from a soak's raw series on disk.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const [input, output = DASHBOARD_PICTURE] = process.argv.slice(2);
  if (!input) {
    process.stderr.write('usage: node bench/lib/dashboard-render.mjs bench/results/soak-<timestamp>.json [bench/dashboard.svg]\n');
    process.exit(2);
  }
  writeDashboard(JSON.parse(readFileSync(input, 'utf8')), output);
  process.stderr.write(`dashboard: wrote ${output}\n`);
}

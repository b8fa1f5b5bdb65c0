// The bench's chart: requests/s per operation and server as grouped bars, in one self-contained
// SVG (no dependency, no web font). Each operation is scaled to its own fastest server: node
// answers some 50 times more requests per second than feed, so on one common axis feed's bars
// would be slivers. Bar heights thus compare servers within an operation; every bar is labelled
// with its requests/s for the absolute figures. Under each operation, ours ÷ floor (what is left
// of what yoga allows) and, in an A/B run, ours ÷ baseline.
//
// Redraw from an existing report (e.g. to commit it):
//   node bench/lib/chart.mjs [bench/out/latest.json] [bench/out/chart.svg]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const OUT_DIR = path.join(path.dirname(path.dirname(fileURLToPath(import.meta.url))), 'out');

/** Ours stands out; the others keep their colour from one chart to the next. */
const COLOURS = { ours: '#2563eb', baseline: '#1e3a8a', naive: '#93c5fd', raw: '#6b7280', floor: '#059669', postgraphile: '#d97706' };
const SPARE_COLOURS = ['#db2777', '#7c3aed', '#0891b2'];
/** The ratios written under each operation, when the run has the server. */
const RATIO_LINES = ['floor', 'baseline'];

const WIDTH = 820;
const PLOT = { left: 64, right: 16, top: 92, height: 260 };
const HEIGHT = PLOT.top + PLOT.height + 52 + 14 * RATIO_LINES.length;
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';

/** The chart of a report shaped as bench/out/latest.json, as SVG text. */
export function renderChart(report) {
  const operations = Object.keys(report.operations);
  const servers = [...new Set(operations.flatMap((operation) => Object.keys(report.operations[operation])))];
  const colourOf = (server, index) => COLOURS[server] ?? SPARE_COLOURS[index % SPARE_COLOURS.length];
  const plotWidth = WIDTH - PLOT.left - PLOT.right;
  const groupWidth = plotWidth / operations.length;
  const groupPadding = groupWidth * 0.12;
  const barWidth = (groupWidth - 2 * groupPadding) / servers.length;
  const bottom = PLOT.top + PLOT.height;
  const parts = [];

  parts.push(`<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`);
  parts.push(text(PLOT.left, 24, 'Requests/s per operation and server', 'font-size="16" font-weight="600"'));
  parts.push(text(PLOT.left, 44, describeRun(report), 'font-size="11" fill="#4b5563"'));

  // Legend, one row under the subtitle.
  let legendX = PLOT.left;
  servers.forEach((server, index) => {
    parts.push(`<rect x="${legendX}" y="58" width="12" height="12" rx="2" fill="${colourOf(server, index)}"/>`);
    parts.push(text(legendX + 17, 68, server, 'font-size="12"'));
    legendX += 34 + server.length * 7;
  });

  // Gridlines at quarters of each operation's fastest server.
  for (const share of [0, 0.25, 0.5, 0.75, 1]) {
    const y = round(bottom - share * PLOT.height);
    parts.push(`<line x1="${PLOT.left}" x2="${WIDTH - PLOT.right}" y1="${y}" y2="${y}" stroke="${share === 0 ? '#9ca3af' : '#e5e7eb'}"/>`);
    parts.push(text(PLOT.left - 6, y + 4, `${share * 100}%`, 'font-size="10" fill="#6b7280" text-anchor="end"'));
  }
  parts.push(
    text(
      14,
      PLOT.top + PLOT.height / 2,
      'share of the fastest on the operation',
      `font-size="10" fill="#6b7280" text-anchor="middle" transform="rotate(-90 14 ${PLOT.top + PLOT.height / 2})"`,
    ),
  );

  operations.forEach((operation, group) => {
    const byServer = report.operations[operation];
    const fastest = Math.max(...Object.values(byServer).map((figures) => figures.rps));
    const groupX = PLOT.left + group * groupWidth;
    servers.forEach((server, index) => {
      const rps = byServer[server]?.rps;
      if (rps === undefined) return; // not measured on this operation: a gap, not a zero
      const height = fastest > 0 ? (rps / fastest) * PLOT.height : 0;
      const x = groupX + groupPadding + index * barWidth;
      parts.push(
        `<rect x="${round(x + 1)}" y="${round(bottom - height)}" width="${round(barWidth - 2)}" height="${round(height)}" fill="${colourOf(server, index)}"><title>${escape(`${operation}, ${server}: ${rps} req/s`)}</title></rect>`,
      );
      parts.push(
        text(round(x + barWidth / 2), round(bottom - height - 4), String(rps), 'font-size="10" text-anchor="middle" fill="#111827"'),
      );
    });
    parts.push(text(round(groupX + groupWidth / 2), bottom + 18, operation, 'font-size="12" font-weight="600" text-anchor="middle"'));
    parts.push(
      text(round(groupX + groupWidth / 2), bottom + 33, `100% = ${fastest} req/s`, 'font-size="10" fill="#6b7280" text-anchor="middle"'),
    );
    RATIO_LINES.filter((server) => byServer[server]?.rps > 0 && byServer.ours).forEach((server, line) => {
      const ratio = `ours ÷ ${server}: ${(byServer.ours.rps / byServer[server].rps).toFixed(2)}×`;
      parts.push(
        text(round(groupX + groupWidth / 2), bottom + 47 + 14 * line, ratio, 'font-size="10" fill="#111827" text-anchor="middle"'),
      );
    });
  });

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" ${FONT}>`,
    `<title>Requests/s per operation and server${report.date ? `, ${escape(report.date.slice(0, 10))}` : ''}</title>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

export function writeChart(report, file) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, renderChart(report));
}

function describeRun({ date, machine, settings }) {
  const what = [];
  if (date) what.push(date.slice(0, 16).replace('T', ' ') + 'Z');
  if (machine) what.push(`${machine.cpus} × ${machine.model}, Node ${machine.node}`);
  if (settings) {
    what.push(
      `${settings.quick ? 'quick run' : 'full run'}: ${settings.rounds} round(s) of ${settings.durationSeconds} s, ${settings.connections} connections`,
    );
    what.push(`pool ${settings.poolSize}, ${settings.processesPerServer} process per server`);
  }
  return what.join(' · ');
}

const round = (value) => Math.round(value * 10) / 10;
const text = (x, y, content, attributes = '') => `<text x="${x}" y="${y}" ${attributes}>${escape(content)}</text>`;
const escape = (value) => String(value).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

// Run as a script: redraw a chart from a report on disk.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const [input = path.join(OUT_DIR, 'latest.json'), output = path.join(path.dirname(input), 'chart.svg')] = process.argv.slice(2);
  writeChart(JSON.parse(readFileSync(input, 'utf8')), output);
  process.stderr.write(`chart: wrote ${output}\n`);
}

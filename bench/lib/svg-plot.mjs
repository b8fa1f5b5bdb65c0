// Time-series panels as SVG fragments, shared by the soak's chart (lib/soak-chart.mjs) and the
// dashboard's picture (lib/dashboard-render.mjs): axes in minutes, a y axis in the panel's unit,
// one line per series (broken where a value is missing), vertical marks, and a legend. No fonts
// or scripts from elsewhere: the SVG renders the same on GitHub and offline.

export const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';
/** Grafana's classic palette, so the picture reads like the dashboard. */
export const PALETTE = ['#7eb26d', '#eab839', '#6ed0e0', '#ef843c', '#e24d42', '#1f78c1', '#ba43a9', '#705da0', '#508642', '#cca300'];
const MORE_COLOURS = ['#447ebc', '#c15c17', '#890f02', '#0a437c', '#6d1f62', '#584477', '#2f575e', '#99440a'];
export const colourAt = (index) => [...PALETTE, ...MORE_COLOURS][index % (PALETTE.length + MORE_COLOURS.length)];

/** Where a panel's plot starts and ends inside it: the soak's annotation strip lines up with it. */
export const PLOT_MARGIN = { left: 52, right: 10 };
const LEGEND_LINE = 13;
const LEGEND_COLUMN = 150;

/**
 * One panel at (x, y): `series` [{ name, colour, points: [[t seconds, value | null], …] }] over
 * `timeRange` [t0, t1]; `marks` [{ t, label }] drawn as dashed verticals; `legendLines` rows kept
 * for the legend (the rest summarised as "+N more").
 */
export function linePanel({ x, y, width, height, title, series, unit, timeRange, marks = [], legendLines = 2 }) {
  const legendHeight = legendLines * LEGEND_LINE;
  const plot = { left: x + PLOT_MARGIN.left, right: x + width - PLOT_MARGIN.right, top: y + 26, bottom: y + height - 22 - legendHeight };
  const [t0, t1] = timeRange;
  const values = series.flatMap((s) => s.points.map(([, v]) => v)).filter((v) => v !== null);
  const top = niceCeiling(Math.max(0, ...values), unit);
  const xOf = (t) => plot.left + ((t - t0) / Math.max(1, t1 - t0)) * (plot.right - plot.left);
  const yOf = (v) => plot.bottom - (v / top) * (plot.bottom - plot.top);
  const parts = [
    `<rect x="${x + 0.5}" y="${y + 0.5}" width="${width - 1}" height="${height - 1}" rx="3" fill="#ffffff" stroke="#d8d9da"/>`,
    text(x + 8, y + 16, title, 'font-size="12" font-weight="600" fill="#1f2937"'),
  ];
  for (let k = 0; k <= 4; k++) {
    const value = (top * k) / 4;
    const lineY = round(yOf(value));
    parts.push(`<line x1="${plot.left}" x2="${plot.right}" y1="${lineY}" y2="${lineY}" stroke="${k === 0 ? '#9ca3af' : '#eceef0'}"/>`);
    parts.push(text(plot.left - 4, lineY + 3, formatValue(value, unit), 'font-size="9" fill="#6b7280" text-anchor="end"'));
  }
  for (const t of timeTicks(t0, t1)) {
    parts.push(text(round(xOf(t)), plot.bottom + 12, formatMinutes(t), 'font-size="9" fill="#6b7280" text-anchor="middle"'));
  }
  for (const mark of marks.filter((m) => m.t >= t0 && m.t <= t1)) {
    const markX = round(xOf(mark.t));
    parts.push(`<line x1="${markX}" x2="${markX}" y1="${plot.top}" y2="${plot.bottom}" stroke="#6b7280" stroke-dasharray="3 3"/>`);
    // Near the right edge the label goes on the mark's left, inside the panel.
    const isNearEnd = markX > plot.right - 60;
    parts.push(
      text(markX + (isNearEnd ? -3 : 3), plot.top + 9, mark.label, `font-size="9" fill="#4b5563"${isNearEnd ? ' text-anchor="end"' : ''}`),
    );
  }
  for (const s of series) {
    for (const run of unbroken(s.points)) {
      // Whole pixels: a 20-minute run has some 240 points per line, and the picture is committed.
      const path = run.map(([t, v]) => `${Math.round(xOf(t))},${Math.round(yOf(v))}`).join(' ');
      parts.push(`<polyline points="${path}" fill="none" stroke="${s.colour}" stroke-width="1.4" stroke-linejoin="round"/>`);
    }
  }
  if (series.length === 0)
    parts.push(
      text((plot.left + plot.right) / 2, (plot.top + plot.bottom) / 2, 'No data', 'font-size="11" fill="#9ca3af" text-anchor="middle"'),
    );
  parts.push(legend(series, x + 10, plot.bottom + 26, width - 20, legendLines));
  return parts.join('\n');
}

function legend(series, x, y, width, lines) {
  const columns = Math.max(1, Math.floor(width / LEGEND_COLUMN));
  const room = columns * lines;
  const shown = series.length > room ? series.slice(0, room - 1) : series;
  const parts = shown.map((s, index) => {
    const itemX = x + (index % columns) * LEGEND_COLUMN;
    const itemY = y + Math.floor(index / columns) * LEGEND_LINE;
    return `<rect x="${itemX}" y="${itemY - 7}" width="10" height="3" fill="${s.colour}"/>${text(itemX + 14, itemY, clip(s.name, 24), 'font-size="9" fill="#374151"')}`;
  });
  if (shown.length < series.length) {
    const index = shown.length;
    parts.push(
      text(
        x + (index % columns) * LEGEND_COLUMN,
        y + Math.floor(index / columns) * LEGEND_LINE,
        `+${series.length - index} more`,
        'font-size="9" fill="#6b7280"',
      ),
    );
  }
  return parts.join('\n');
}

/** Runs of consecutive points with a value: a missing one breaks the line. */
function unbroken(points) {
  const runs = [[]];
  for (const point of points) {
    if (point[1] === null) runs.push([]);
    else runs.at(-1).push(point);
  }
  return runs.filter((run) => run.length > 0);
}

/** A round top for the y axis: 1, 2 or 5 times a power of ten (of 1024 for bytes). */
function niceCeiling(max, unit) {
  if (unit === 'percentunit') return 1;
  if (max <= 0) return 1;
  const base = unit === 'bytes' ? 2 ** 20 : 1;
  const scaled = max / base;
  const power = 10 ** Math.floor(Math.log10(scaled));
  const step = [1, 2, 2.5, 5, 10].find((s) => s * power >= scaled);
  return step * power * base;
}

/** A value in the panel's unit, short enough for an axis label. */
export function formatValue(value, unit) {
  switch (unit) {
    case 'bytes':
      return `${trim(value / 2 ** 20)} MiB`;
    case 's':
      return value < 1 ? `${trim(value * 1000)} ms` : `${trim(value)} s`;
    case 'ms':
      return `${trim(value)} ms`;
    case 'percentunit':
      return `${trim(value * 100)}%`;
    case 'reqps':
      return `${trim(value)} req/s`;
    case 'cps':
      return `${trim(value)}/s`;
    default:
      return trim(value);
  }
}

const trim = (value) => (Math.abs(value) >= 100 ? String(Math.round(value)) : String(Math.round(value * 100) / 100));

/** Tick times (seconds) at a round step giving at most about eight ticks. */
function timeTicks(t0, t1) {
  const step = [10, 15, 30, 60, 120, 300, 600, 900, 1800].find((s) => (t1 - t0) / s <= 8) ?? 3600;
  const ticks = [];
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) ticks.push(t);
  return ticks;
}

export function formatMinutes(seconds) {
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

export const round = (value) => Math.round(value * 10) / 10;
export const text = (x, y, content, attributes = '') => `<text x="${round(x)}" y="${round(y)}" ${attributes}>${escape(content)}</text>`;
export const escape = (value) => String(value).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const clip = (name, length) => (name.length > length ? `${name.slice(0, length - 1)}…` : name);

/** The whole document around `parts`. */
export const svgDocument = (width, height, title, parts) =>
  [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" ${FONT}>`,
    `<title>${escape(title)}</title>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');

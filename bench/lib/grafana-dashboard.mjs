// ops/grafana-dashboard.json, built from the panel definitions (lib/dashboard-panels.mjs) so that
// the committed dashboard and the soak's picture of it show the same queries under the same
// titles. Importable in Grafana (Dashboards → New → Import): it asks for a Prometheus data source
// (the DS_PROMETHEUS input) and offers job and instance variables.
//
// Regenerate after changing the panels: node bench/lib/grafana-dashboard.mjs
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { GRID_COLUMNS, layOut } from './dashboard-panels.mjs';

const ROOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DASHBOARD_FILE = path.join(ROOT_DIR, 'ops', 'grafana-dashboard.json');

const DATASOURCE = { type: 'prometheus', uid: '${DS_PROMETHEUS}' };
/** Present on every instance from its first scrape (the pool gauge is set at each collect). */
const VARIABLE_SOURCE = 'db_pool_connections';

export function buildDashboard() {
  const panels = layOut().map((item, index) => (item.kind === 'row' ? rowPanel(item, index + 1) : timeseriesPanel(item, index + 1)));
  checkLayout(panels);
  return {
    __inputs: [
      { name: 'DS_PROMETHEUS', label: 'Prometheus', description: '', type: 'datasource', pluginId: 'prometheus', pluginName: 'Prometheus' },
    ],
    __requires: [
      { type: 'grafana', id: 'grafana', name: 'Grafana', version: '10.4.0' },
      { type: 'datasource', id: 'prometheus', name: 'Prometheus', version: '1.0.0' },
      { type: 'panel', id: 'timeseries', name: 'Time series', version: '' },
    ],
    annotations: {
      list: [
        {
          builtIn: 1,
          datasource: { type: 'grafana', uid: '-- Grafana --' },
          enable: true,
          hide: true,
          iconColor: 'rgba(0, 211, 255, 1)',
          name: 'Annotations & Alerts',
          type: 'dashboard',
        },
      ],
    },
    description: 'social-graphql: traffic by GraphQL operation, SQL per request, realtime, protection and process health.',
    editable: true,
    fiscalYearStartMonth: 0,
    graphTooltip: 1,
    id: null,
    links: [],
    panels,
    refresh: '30s',
    schemaVersion: 39,
    tags: ['graphql', 'social-graphql'],
    templating: {
      list: [
        variable('job', `label_values(${VARIABLE_SOURCE}, job)`),
        variable('instance', `label_values(${VARIABLE_SOURCE}{job=~"$job"}, instance)`),
      ],
    },
    time: { from: 'now-1h', to: 'now' },
    timepicker: {},
    timezone: '',
    title: 'social-graphql',
    uid: 'social-graphql-ops',
    version: 1,
  };
}

function rowPanel({ title, gridPos }, id) {
  return { collapsed: false, gridPos, id, panels: [], title, type: 'row' };
}

function timeseriesPanel({ title, description, unit, gridPos, targets }, id) {
  return {
    datasource: DATASOURCE,
    ...(description ? { description } : {}),
    fieldConfig: {
      defaults: {
        color: { mode: 'palette-classic' },
        custom: { drawStyle: 'line', fillOpacity: 0, lineWidth: 1, showPoints: 'never', spanNulls: false },
        min: 0,
        ...(unit === 'percentunit' ? { max: 1 } : {}),
        unit,
      },
      overrides: [],
    },
    gridPos,
    id,
    options: {
      legend: { calcs: [], displayMode: 'list', placement: 'bottom', showLegend: true },
      tooltip: { mode: 'multi', sort: 'desc' },
    },
    targets: targets.map(({ expression, legend }, index) => ({
      datasource: DATASOURCE,
      expr: expression.text,
      legendFormat: legend,
      range: true,
      refId: String.fromCharCode(65 + index),
    })),
    title,
    type: 'timeseries',
  };
}

function variable(name, query) {
  return {
    allValue: '.*',
    current: {},
    datasource: DATASOURCE,
    definition: query,
    includeAll: true,
    label: name,
    multi: true,
    name,
    options: [],
    query: { qryType: 1, query, refId: 'PrometheusVariableQueryEditor-VariableQuery' },
    refresh: 2,
    regex: '',
    sort: 1,
    type: 'query',
  };
}

/** Panels inside the grid, none overlapping another: Grafana would shuffle them otherwise. */
export function checkLayout(panels) {
  const cells = new Map();
  for (const { id, title, gridPos } of panels) {
    const { x, y, w, h } = gridPos;
    if (![x, y, w, h].every(Number.isInteger) || x < 0 || y < 0 || w < 1 || h < 1 || x + w > GRID_COLUMNS)
      throw new Error(`panel ${id} (${title}) is outside the grid: ${JSON.stringify(gridPos)}`);
    for (let row = y; row < y + h; row++) {
      for (let column = x; column < x + w; column++) {
        const other = cells.get(`${row}:${column}`);
        if (other) throw new Error(`panel ${id} (${title}) overlaps panel ${other}`);
        cells.set(`${row}:${column}`, id);
      }
    }
  }
}

// Run as a script: write the dashboard.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  writeFileSync(DASHBOARD_FILE, `${JSON.stringify(buildDashboard(), null, 2)}\n`);
  process.stderr.write(`dashboard: wrote ${path.relative(process.cwd(), DASHBOARD_FILE)}\n`);
}

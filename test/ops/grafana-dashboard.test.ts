// ops/grafana-dashboard.json (built by bench/lib/grafana-dashboard.mjs): importable as it stands,
// its panels laid out on Grafana's grid, and every query on a metric the real server serves.
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { startTestApp } from '../support/test-app.js';

type Panel = {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: unknown;
  targets?: { expr: string }[];
};

const dashboard = JSON.parse(readFileSync(new URL('../../ops/grafana-dashboard.json', import.meta.url), 'utf8'));
const panels: Panel[] = dashboard.panels;
const graphs = panels.filter((panel) => panel.type !== 'row');
const expressions = graphs.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));

test('it imports with a Prometheus data source of your choosing and job and instance variables', () => {
  expect(dashboard.schemaVersion).toBe(39);
  expect(dashboard.__inputs).toEqual([expect.objectContaining({ name: 'DS_PROMETHEUS', type: 'datasource', pluginId: 'prometheus' })]);
  expect(dashboard.templating.list.map((variable: any) => variable.name)).toEqual(['job', 'instance']);
  for (const panel of graphs) {
    expect(panel.datasource, panel.title).toEqual({ type: 'prometheus', uid: '${DS_PROMETHEUS}' });
    expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
  }
  for (const expr of expressions) expect(expr).toContain('job=~"$job", instance=~"$instance"');
});

test('panels sit inside the 24-column grid, none over another, each id once', () => {
  const cells = new Set<string>();
  for (const { id, title, gridPos } of panels) {
    const { x, y, w, h } = gridPos;
    expect(x + w, title).toBeLessThanOrEqual(24);
    expect(Math.min(x, y, w - 1, h - 1), title).toBeGreaterThanOrEqual(0);
    for (let row = y; row < y + h; row++) {
      for (let column = x; column < x + w; column++) {
        expect(cells.has(`${row}:${column}`), `${title} overlaps another panel`).toBe(false);
        cells.add(`${row}:${column}`);
      }
    }
    expect(panels.filter((other) => other.id === id)).toHaveLength(1);
  }
});

test('every metric the dashboard queries is one the server exports, histogram series on histograms', async () => {
  const app = await startTestApp();
  const text = await (await fetch(app.metricsUrl)).text();
  const types = new Map([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((match) => [match[1]!, match[2]!]));
  const queried = new Set(expressions.flatMap((expr) => [...expr.matchAll(/([a-z_:][a-z0-9_:]*)\{/g)].map((match) => match[1]!)));
  expect(queried.size).toBeGreaterThan(10);
  for (const name of queried) {
    const histogram = /^(.+)_(bucket|sum|count)$/.exec(name);
    if (histogram && types.get(histogram[1]!) === 'histogram') continue;
    expect(types.get(name), `${name} is not on /metrics`).toMatch(/^(counter|gauge)$/);
  }
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../../src/infra/toolchain';
import {
  histogramBucketOverrides,
  lpMetrics,
  seriesNames,
  type MetricDefinition,
} from '../../../src/observability/metrics';

const definitions: MetricDefinition[] = Object.values(lpMetrics);
const dashboardFile = path.join(projectRoot, 'deploy', 'grafana', 'lp-infra-dashboard.json');

interface Panel {
  title?: string;
  panels?: Panel[];
  targets?: { expr: string }[];
}

/** Every PromQL expression of the dashboard: its panels' queries and its variables' queries. */
function expressions(): { where: string; expr: string }[] {
  const dashboard = JSON.parse(readFileSync(dashboardFile, 'utf8')) as {
    panels: Panel[];
    templating: { list: { name: string; definition?: string }[] };
  };
  const fromPanels = (panels: Panel[]): { where: string; expr: string }[] =>
    panels.flatMap((p) => [
      ...(p.targets ?? []).map((t) => ({ where: p.title ?? '', expr: t.expr })),
      ...fromPanels(p.panels ?? []),
    ]);
  return [
    ...fromPanels(dashboard.panels),
    ...dashboard.templating.list
      .filter((v) => v.definition)
      .map((v) => ({ where: `$${v.name}`, expr: v.definition! })),
  ];
}

/** The metric a series name belongs to (lp_infra_x_seconds_bucket belongs to lp_infra_x_seconds). */
const metricOf = (series: string) => definitions.find((m) => seriesNames(m).includes(series));

test('every series the dashboard queries is one the code defines, with labels it has', () => {
  const found = expressions();
  expect(found.length).toBeGreaterThan(5);
  const problems: string[] = [];
  for (const { where, expr } of found) {
    const series = [...expr.matchAll(/\blp_infra_\w+/g)].map((m) => m[0]);
    if (series.length === 0) problems.push(`${where}: queries no lp_infra series: ${expr}`);
    for (const name of series) if (!metricOf(name)) problems.push(`${where}: ${name} is not defined`);
    // Labels in matchers and in by (...) must be labels of the series queried ('le': histogram buckets).
    const labels = new Set(['le', ...series.flatMap((name) => metricOf(name)?.labels ?? [])]);
    const used = [
      ...[...expr.matchAll(/\{([^}]*)\}/g)].flatMap((m) => [...m[1].matchAll(/(\w+)\s*(?:=~|!=|!~|=)/g)]),
      ...[...expr.matchAll(/\bby\s*\(([^)]*)\)/g)].flatMap((m) => [...m[1].matchAll(/(\w+)/g)]),
    ].map((m) => m[1]);
    for (const label of used)
      if (!labels.has(label)) problems.push(`${where}: no label '${label}' in ${expr}`);
  }
  expect(problems).toEqual([]);
});

test('the dashboard shows every series the code defines', () => {
  const queried = new Set(
    expressions().flatMap(({ expr }) => [...expr.matchAll(/\blp_infra_\w+/g)].map((m) => m[0])),
  );
  const unused = definitions.filter((m) => !seriesNames(m).some((s) => queried.has(s))).map((m) => m.name);
  expect(unused).toEqual([]);
});

test('names follow Prometheus conventions: lp_infra_ prefix, _total counters, unit suffix, bucketed histograms', () => {
  for (const m of definitions) {
    expect(m.name).toMatch(/^lp_infra_[a-z_]+$/);
    if (m.kind === 'counter') expect(m.name).toMatch(/_total$/);
    if (m.unit === 's') expect(m.name).toMatch(/_seconds$/);
    if (m.kind === 'histogram') expect(histogramBucketOverrides()[m.name]?.length).toBeGreaterThan(3);
  }
  expect(new Set(definitions.map((m) => m.name)).size).toBe(definitions.length);
});

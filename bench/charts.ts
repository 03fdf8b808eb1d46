/** Charts as SVG files: Vega-Lite specs rendered by Vega's headless SVG renderer (no canvas needed). */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export type ChartSpec = Record<string, unknown>;

export async function writeChart(dir: string, name: string, spec: ChartSpec): Promise<string> {
  const vega = await import('vega');
  const vegaLite = await import('vega-lite');
  const compiled = vegaLite.compile({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: { font: 'sans-serif', view: { stroke: null } },
    ...spec,
  } as Parameters<typeof vegaLite.compile>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.svg`);
  writeFileSync(file, svg);
  return file;
}

/** Horizontal bars, one per row, labelled with their value. */
export function barChart(
  rows: { label: string; value: number; group?: string }[],
  title: string,
  axis: string,
): ChartSpec {
  return {
    title,
    width: 480,
    data: { values: rows },
    layer: [
      {
        mark: 'bar',
        encoding: {
          y: { field: 'label', type: 'nominal', sort: null, title: null },
          x: { field: 'value', type: 'quantitative', title: axis },
          color: { field: 'group', type: 'nominal', legend: rows.some((r) => r.group) ? {} : null },
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 3 },
        encoding: {
          y: { field: 'label', type: 'nominal', sort: null },
          x: { field: 'value', type: 'quantitative' },
          text: { field: 'value', type: 'quantitative', format: '.2f' },
        },
      },
    ],
  };
}

/** A timeline: one bar per row from start to end (seconds), coloured by group. */
export function ganttChart(
  rows: { label: string; start: number; end: number; group: string }[],
  title: string,
): ChartSpec {
  return {
    title,
    width: 560,
    data: { values: rows },
    mark: 'bar',
    encoding: {
      y: { field: 'label', type: 'nominal', sort: null, title: null },
      x: { field: 'start', type: 'quantitative', title: 'seconds since start' },
      x2: { field: 'end' },
      color: { field: 'group', type: 'nominal', title: null },
    },
  };
}

/** Lines of y over x, one line per series. */
export function lineChart(
  rows: { x: number; y: number; series: string }[],
  title: string,
  xTitle: string,
  yTitle: string,
): ChartSpec {
  return {
    title,
    width: 480,
    data: { values: rows },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: xTitle },
      y: { field: 'y', type: 'quantitative', title: yTitle },
      color: { field: 'series', type: 'nominal', title: null },
    },
  };
}

/** What every figure gets from the harness, and what it gives back. */
import type { Client } from '@temporalio/client';
import type { KeyFile } from '../src/codec/keyring';
import type { DevServer } from './server';

export type Size = 'full' | 'tiny';

export interface BenchContext {
  size: Size;
  server: DevServer;
  client: Client;
  keyFile: KeyFile;
  /** Compiled workflow bundles (bench/worker.ts writeBundle). */
  bundles: { lpInfra: string; noop: string };
  /** Where charts go, and the same folder relative to the report. */
  chartsDir: string;
  chartsLink: string;
  tmpDir: string;
  log(message: string): void;
}

export interface FigureReport {
  id: string;
  title: string;
  /** The section body: tables, chart links, what limits the figure. */
  markdown: string;
  /** The raw numbers, kept in results.json beside the charts. */
  data: unknown;
  /** 1-minute load average when the figure started and ended. */
  load?: { before: number; after: number };
  /** False when the figure could not be measured yet (e.g. its workflow is not on main). */
  measured: boolean;
  /** When the figure was measured (ISO time); set by the harness. */
  measuredAt?: string;
}

export interface Figure {
  id: string;
  title: string;
  run(ctx: BenchContext): Promise<FigureReport>;
}

/** A markdown table from a header and rows. */
export function table(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/**
 * npm run bench: starts a private Temporal dev server on free ports, measures every
 * figure, and writes docs/benchmarks.md with its charts under docs/benchmarks/.
 *
 *   npm run bench                          full size (about 10-15 minutes)
 *   npm run bench -- --tiny --out DIR/x.md tiny size, for the smoke test
 *   npm run bench -- --only critical-path  one figure (ids: see `figures` below)
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { newKeyFile } from '../src/codec/keyring';
import { projectRoot } from '../src/infra/toolchain';
import type { BenchContext, Figure, FigureReport, Size } from './context';
import { criticalPathFigure } from './figures/critical-path';
import { manyEnvironmentsFigure } from './figures/many-environments';
import { overheadFigure } from './figures/overhead';
import { driftFigure, failoverFigure, stopLocalStack } from './figures/local-stack';
import { changesAndProposals } from './notes';
import { load, machine } from './stats';
import { startBenchServer } from './server';
import { benchConverter, writeBundle } from './worker';

/** In report order. */
export const figures: Figure[] = [
  criticalPathFigure,
  manyEnvironmentsFigure,
  driftFigure,
  failoverFigure,
  overheadFigure,
];

interface Options {
  size: Size;
  out: string;
  only?: string[];
}

function parseArgs(argv: string[]): Options {
  const options: Options = { size: 'full', out: path.join(projectRoot, 'docs', 'benchmarks.md') };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--tiny') options.size = 'tiny';
    else if (arg === '--out') options.out = path.resolve(argv[++i] ?? '');
    else if (arg === '--only') options.only = (argv[++i] ?? '').split(',');
    else throw new Error(`unknown argument ${arg} (use --tiny, --out FILE, --only ID[,ID])`);
  }
  return options;
}

export async function runBench(options: Options): Promise<FigureReport[]> {
  const started = Date.now();
  const log = (message: string) =>
    console.error(`[bench ${((Date.now() - started) / 1000).toFixed(0)}s] ${message}`);
  const chartsDir = path.join(path.dirname(options.out), path.basename(options.out, '.md'));
  mkdirSync(chartsDir, { recursive: true });
  const tmpDir = mkdtempSync(path.join(tmpdir(), 'lp-bench-'));
  const loadAtStart = load();
  log(`starting a private Temporal dev server and bundling workflows (load ${loadAtStart})`);
  const [server, lpInfra, noop] = await Promise.all([
    startBenchServer(),
    writeBundle('lp-infra', tmpDir),
    writeBundle('noop', tmpDir),
  ]);
  const keyFile = newKeyFile('bench');
  const connection = await Connection.connect({ address: server.address });
  const ctx: BenchContext = {
    size: options.size,
    server,
    client: new Client({ connection, dataConverter: benchConverter(keyFile) }),
    keyFile,
    bundles: { lpInfra, noop },
    chartsDir,
    chartsLink: path.basename(chartsDir),
    tmpDir,
    log,
  };
  const reports: FigureReport[] = [];
  const stamp = (r: FigureReport) => ({ ...r, measuredAt: new Date().toISOString() });
  const interrupted = () =>
    void Promise.allSettled([stopLocalStack(), server.stop()]).finally(() => process.exit(130));
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
  try {
    for (const figure of figures) {
      if (options.only && !options.only.includes(figure.id)) continue;
      log(`${figure.title}`);
      reports.push(stamp(await figure.run(ctx)));
    }
  } finally {
    await stopLocalStack();
    await connection.close();
    await server.stop();
    rmSync(tmpDir, { recursive: true, force: true });
  }
  const minutes = (Date.now() - started) / 60_000;
  const resultsFile = path.join(chartsDir, 'results.json');
  const merged = options.only ? mergeEarlier(reports, resultsFile) : reports;
  writeFileSync(options.out, report(merged, options, loadAtStart, minutes));
  writeFileSync(resultsFile, JSON.stringify({ machine: machine(), reports: merged }, null, 2));
  log(`wrote ${path.relative(process.cwd(), options.out)} in ${minutes.toFixed(1)} min`);
  return reports;
}

/**
 * With --only, the figures not run now keep their section from the last run that measured
 * them (results.json), marked with when that was; the report stays whole.
 */
function mergeEarlier(reports: FigureReport[], resultsFile: string): FigureReport[] {
  const earlier: FigureReport[] = existsSync(resultsFile)
    ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as { reports: FigureReport[] }).reports
    : [];
  return figures.flatMap((figure) => {
    const now = reports.find((r) => r.id === figure.id);
    if (now) return [now];
    const before = earlier.find((r) => r.id === figure.id);
    return before ? [before] : [];
  });
}

function report(reports: FigureReport[], options: Options, loadAtStart: number, minutes: number): string {
  const m = machine();
  const loads = reports.flatMap((r) => (r.load ? [r.load.before, r.load.after] : []));
  return [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\`${options.size === 'tiny' ? ' --tiny (smoke size: the numbers mean nothing)' : ''} on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC${options.only ? ` (this time only ${options.only.join(', ')}, ${minutes.toFixed(1)} min; the other sections are from the run that measured them, see each section's time)` : ` in ${minutes.toFixed(1)} min`}. Every figure's baseline is measured in the same run. Reproduce with \`npm run bench\` (the Temporal CLI from \`npm run setup\` is needed; nothing else runs: the bench starts its own dev server on free ports).`,
    '',
    `Machine: ${m.cores} × ${m.cpu}, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}. The machine is shared: 1-minute load average ${loadAtStart} at the start, ${loads.length ? `${Math.min(...loads)}-${Math.max(...loads)}` : 'n/a'} across the figures (per figure below).`,
    '',
    ...reports.flatMap((r) => [
      `## ${r.title}`,
      '',
      r.measured && r.measuredAt ? `_Measured ${r.measuredAt.slice(0, 16).replace('T', ' ')} UTC._\n` : '',
      r.load ? `_Load average ${r.load.before} → ${r.load.after} during this figure._\n` : '',
      r.markdown,
      '',
    ]),
    changesAndProposals,
  ].join('\n');
}

if (require.main === module) {
  runBench(parseArgs(process.argv.slice(2))).then(
    () => process.exit(0),
    (err) => {
      console.error(`bench failed: ${err instanceof Error ? err.stack : String(err)}`);
      process.exit(1);
    },
  );
}

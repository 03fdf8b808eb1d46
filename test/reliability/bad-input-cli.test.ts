/**
 * Bad input, CLI side: fuzzed arguments and mutated spec files given to `up`, `destroy` and
 * `plan`. Each is refused with exit code 2 and a message naming the field or argument, and
 * nothing is contacted: no connection reaches the Temporal address, and moto's request
 * recorder (/moto-api/recorder) holds no request.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { projectRoot } from '../../src/infra/toolchain';
import { resolveSpecDocument, validateSpec } from '../../src/model';
import { formatPath } from '../../src/model/paths';
import { startMoto, type Moto } from '../helpers/servers';
import { runCli } from './cli';
import { trials } from './trials';

const localPath = path.join(projectRoot, 'environments', 'local.yaml');
const base = resolveSpecDocument(readFileSync(localPath, 'utf8'), localPath) as Record<string, unknown>;
const { runs, seed } = trials('bad input (CLI)', { fast: 60, long: 1000 });

let moto: Moto;
let temporal: Server;
let temporalConnections = 0;
let dir: string;
const saved = { ...process.env };

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'lp-infra-badinput-'));
  // moto writes its recording where this says (default: a file in its working directory).
  process.env.MOTO_RECORDER_FILEPATH = path.join(dir, 'moto-recording.jsonl');
  moto = await startMoto();
  temporal = createServer((socket) => {
    temporalConnections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => temporal.listen(0, '127.0.0.1', resolve));
  const { port } = temporal.address() as { port: number };
  process.env.TEMPORAL_ADDRESS = `127.0.0.1:${port}`;
  process.env.LP_INFRA_AWS_ENDPOINT = moto.endpoint;
  await fetch(`${moto.endpoint}/moto-api/recorder/start-recording`, { method: 'POST' });
}, 120_000);

afterAll(async () => {
  process.env = saved;
  temporal?.close();
  await moto?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const recording = async () =>
  (await (await fetch(`${moto.endpoint}/moto-api/recorder/download-recording`)).text()).trim();
const resetRecording = () => fetch(`${moto.endpoint}/moto-api/recorder/reset-recording`, { method: 'POST' });

/** Runs the CLI and checks the promise: exit 2, the message, nothing contacted. */
async function expectRefusedUntouched(argv: string[], names: RegExp) {
  const before = temporalConnections;
  const run = await runCli(argv);
  if (run.exitCode !== 2 || !names.test(run.output)) {
    throw new Error(`lp-infra ${argv.join(' ')}: exit ${run.exitCode}, output:\n${run.output}`);
  }
  expect(run.reached).toEqual([]);
  expect(temporalConnections).toBe(before);
  expect(await recording()).toBe('');
}

test('the witnesses work: an AWS call is in the recording, a Temporal call reaches the listener', async () => {
  const sts = new STSClient({
    region: 'us-east-1',
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  await sts.send(new GetCallerIdentityCommand({}));
  expect(await recording()).toContain('/sts/aws4_request');
  await resetRecording();
  expect(await recording()).toBe('');

  const before = temporalConnections;
  const run = await runCli(['status', 'local', '--no-follow']);
  expect(run.exitCode).toBe(4);
  expect(temporalConnections).toBeGreaterThan(before);
});

type Segment = string | number;
function scalarLeaves(value: unknown, at: Segment[] = []): Segment[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => scalarLeaves(v, [...at, i]));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => scalarLeaves(v, [...at, k]));
  return [at];
}
/** Fields whose value is a name the user picks or that take numbers and names alike. */
const loose = /(parameters|tags|labels|selector|Selector|port|targetPort|maxSurge|maxUnavailable)/;
const leaves = scalarLeaves(base).filter((p) => !loose.test(formatPath(p)));

function withValue(at: Segment[], value: unknown): unknown {
  const copy = structuredClone(base) as Record<string | number, unknown>;
  let node = copy;
  for (const segment of at.slice(0, -1)) node = node[segment] as Record<string | number, unknown>;
  node[at[at.length - 1]] = value;
  return copy;
}

function isValid(doc: unknown): boolean {
  try {
    validateSpec(doc, 'probe');
    return true;
  } catch {
    return false;
  }
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('a spec file with a wrong-typed field: up, destroy and plan exit 2 naming it, contacting nothing', async () => {
  let n = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...leaves),
      fc.constantFrom<unknown>({ nested: 1 }, [1, 2], true, 'not-a-value', -1),
      fc.constantFrom(['up'], ['up', '--detach'], ['destroy'], ['plan'], ['plan', '--json']),
      async (leaf, value, command) => {
        const file = path.join(dir, `spec-${++n}.yaml`);
        const doc = withValue(leaf, value);
        // Only mutations the spec rejects: a few replacements happen to be valid values.
        fc.pre(!isValid(doc));
        writeFileSync(file, stringify(doc));
        const before = temporalConnections;
        const run = await runCli([...command, file]);
        if (run.exitCode !== 2 || !run.output.includes(formatPath(leaf).split('[')[0].split('.')[0])) {
          throw new Error(`lp-infra ${[...command, file].join(' ')}: exit ${run.exitCode}\n${run.output}`);
        }
        expect(run.output).toMatch(new RegExp(escape(formatPath(leaf).replace(/\[\d+\].*$/, ''))));
        expect(run.reached).toEqual([]);
        expect(temporalConnections).toBe(before);
        expect(await recording()).toBe('');
      },
    ),
    { seed, numRuns: runs, endOnFailure: true },
  );
});

test('malformed or unreadable spec files: exit 2 with file and line, contacting nothing', async () => {
  const missing = path.join(dir, 'missing.yaml');
  await expectRefusedUntouched(['up', missing], /cannot read the file/);
  const broken = path.join(dir, 'broken.yaml');
  writeFileSync(broken, 'name: [unclosed\n  cluster: {\n');
  await expectRefusedUntouched(['up', broken], /broken\.yaml:\d+:\d+/);
  await expectRefusedUntouched(['destroy', broken], /broken\.yaml:\d+:\d+/);
  const secret = path.join(dir, 'secret.yaml');
  writeFileSync(
    secret,
    stringify({ ...base, database: { ...(base.database as object), masterPassword: 'x' } }),
  );
  await expectRefusedUntouched(['up', secret], /database\.masterPassword/);
});

test('fuzzed arguments (unknown options, missing arguments, bad ports): exit 2, contacting nothing', async () => {
  const unknownOption = fc
    .stringMatching(/^--[a-z][a-z-]{2,12}$/)
    .filter(
      (o) =>
        ![
          '--keep-on-failure',
          '--detach',
          '--json',
          '--no-follow',
          '--by',
          '--reason',
          '--free-ports',
          '--emit-input',
          '--help',
          '--regions',
          '--temporal-port',
          '--ui-port',
          '--moto-port',
          '--version',
        ].includes(o),
    );
  const argv = fc.oneof(
    fc
      .tuple(
        fc.constantFrom(
          ['up', localPath],
          ['destroy', localPath],
          ['plan', localPath],
          ['status', 'local'],
          ['approve', 'local'],
          ['dev', 'up'],
          ['dev', 'check'],
        ),
        unknownOption,
      )
      .map(([command, option]) => ({ argv: [...command, option], names: new RegExp(escape(option)) })),
    fc.constantFrom('up', 'destroy', 'plan', 'status', 'approve', 'reject').map((command) => ({
      argv: [command],
      names: /missing required argument/,
    })),
    fc
      .tuple(fc.constantFrom('up', 'destroy'), fc.string({ minLength: 1, maxLength: 8 }))
      .map(([command, extra]) => ({
        argv: [command, localPath, `extra-${extra}`],
        names: /too many arguments|unknown/,
      })),
  );
  await fc.assert(
    fc.asyncProperty(argv, async ({ argv, names }) => expectRefusedUntouched(argv, names)),
    { seed, numRuns: runs, endOnFailure: true },
  );
});

/** A bad port is bad input (exit 2) naming the option, found before anything starts. */
test.each([['abc'], ['0'], ['70000'], ['1.5']])(
  'dev up --temporal-port %s is refused as bad input naming the option',
  async (value) => {
    await expectRefusedUntouched(['dev', 'up', '--temporal-port', value], /--temporal-port/);
  },
);

test.each([['abc'], ['0'], ['70000'], ['1.5']])(
  'dev up --temporal-port %s starts nothing and contacts nothing',
  async (value) => {
    const before = temporalConnections;
    const run = await runCli(['dev', 'up', '--temporal-port', value]);
    expect(run.exitCode).not.toBe(0);
    expect(run.output).toContain(`not a port: ${value}`);
    expect(run.reached).toEqual([]);
    expect(temporalConnections).toBe(before);
    expect(await recording()).toBe('');
  },
);

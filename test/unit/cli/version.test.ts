import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CommanderError } from 'commander';
import { buildProgram } from '../../../src/client';
import { projectRoot } from '../../../src/infra/toolchain';

const fromRepository = (file: string) => JSON.parse(readFileSync(path.join(projectRoot, file), 'utf8'));

/** Runs the CLI's program in-process; returns what it printed on stdout and how it ended. */
async function run(args: string[]): Promise<{ stdout: string; exitCode: number }> {
  let stdout = '';
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const program = buildProgram()
    .exitOverride()
    .configureOutput({ writeOut: (text) => (stdout += text) });
  try {
    await program.parseAsync(['node', 'lp-infra', ...args]);
    return { stdout, exitCode: 0 };
  } catch (err) {
    if (err instanceof CommanderError) return { stdout, exitCode: err.exitCode };
    throw err;
  } finally {
    write.mockRestore();
  }
}

test('--version and -V print the version of package.json and exit 0', async () => {
  const { version } = fromRepository('package.json');
  expect(await run(['--version'])).toEqual({ stdout: `${version}\n`, exitCode: 0 });
  expect(await run(['-V'])).toEqual({ stdout: `${version}\n`, exitCode: 0 });
});

test('`version --json` adds the running Node.js and every version pinned in toolchain.json', async () => {
  const { version } = fromRepository('package.json');
  const { $comment, ...pinned } = fromRepository('toolchain.json');
  expect($comment).toBeDefined(); // the file's note is not a version
  const { stdout, exitCode } = await run(['version', '--json']);
  expect(exitCode).toBe(0);
  expect(JSON.parse(stdout)).toEqual({ version, node: process.versions.node, toolchain: pinned });
});

test('`version` prints the same as lines a person reads', async () => {
  const { version } = fromRepository('package.json');
  const { $comment: _, ...pinned } = fromRepository('toolchain.json');
  const lines = (await run(['version'])).stdout.trimEnd().split('\n');
  expect(lines.slice(0, 3)).toEqual([
    `lp-infra ${version}`,
    `node ${process.versions.node}`,
    'toolchain (toolchain.json):',
  ]);
  expect(lines.slice(3).map((line) => line.trim().split(/\s+/))).toEqual(Object.entries(pinned));
});

/**
 * The lp-infra CLI as users run it: `node dist/client.js` in a child process (build first:
 * `npm run build`), with its own state folder so that a developer's local stack is not used.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../src/infra/toolchain';

export const cliEntry = path.join(projectRoot, 'dist', 'client.js');

export interface CliRun {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (128 + n for a signal) once the process ended. */
  exited: Promise<number>;
  /** Resolves once stderr (or stdout) contains the text; rejects if the process ends first. */
  waitFor(text: string | RegExp, stream?: 'stderr' | 'stdout', timeoutMs?: number): Promise<void>;
}

const stateDir = mkdtempSync(path.join(tmpdir(), 'lp-infra-cli-'));

export function cliEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, LP_INFRA_STATE_DIR: stateDir, LP_INFRA_UI_URL: '', ...extra };
}

export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const child = spawn(process.execPath, [cliEntry, ...args], {
    env: cliEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: projectRoot,
  });
  const out = { stdout: '', stderr: '' };
  child.stdout!.on('data', (chunk) => (out.stdout += chunk));
  child.stderr!.on('data', (chunk) => (out.stderr += chunk));
  const exited = new Promise<number>((resolve) =>
    child.once('close', (code, signal) =>
      resolve(code ?? 128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 9)),
    ),
  );
  let ended = false;
  void exited.then(() => (ended = true));
  return {
    child,
    exited,
    stdout: () => out.stdout,
    stderr: () => out.stderr,
    async waitFor(text, stream = 'stderr', timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      const seen = () => (typeof text === 'string' ? out[stream].includes(text) : text.test(out[stream]));
      while (!seen()) {
        if (ended)
          throw new Error(`lp-infra ${args.join(' ')} ended before printing ${text}:\n${out.stderr}`);
        if (Date.now() > deadline) throw new Error(`no ${text} within ${timeoutMs} ms:\n${out.stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}

/** Runs the CLI to its end. */
export async function runCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const run = startCli(args, env);
  const code = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

/** Stops a CLI process that still runs. */
export async function stopCli(run: CliRun | undefined): Promise<void> {
  if (!run || run.child.exitCode !== null || run.child.signalCode !== null) return;
  run.child.kill('SIGTERM');
  const timer = setTimeout(() => run.child.kill('SIGKILL'), 10_000);
  await run.exited;
  clearTimeout(timer);
}

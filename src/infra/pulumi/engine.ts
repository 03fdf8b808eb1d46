import { PulumiCommand } from '@pulumi/pulumi/automation';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { stateDir, toolPath } from '../toolchain';
import { handlerProviderPath } from './compiled';

/**
 * Where and how the Pulumi engine keeps state, from the environment:
 *
 * - LP_INFRA_PULUMI_BACKEND: a backend URL (`file://…`, `s3://bucket/prefix`,
 *   `https://api.pulumi.com`) or a directory; default file://<state dir>/pulumi (.local/ unless LP_INFRA_STATE_DIR).
 * - LP_INFRA_PULUMI_SECRETS_PROVIDER: `passphrase` (default) or e.g. `awskms://alias/lp-infra`.
 * - PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE): the passphrase. Only a local
 *   file backend has a default, `localPassphrase`, which protects nothing and is meant for
 *   state on this machine.
 */
export const localPassphrase = 'lp-infra-local';

export interface EngineSettings {
  backendUrl: string;
  secretsProvider: string;
  /** The environment of the pulumi CLI and of the provider processes it starts. */
  envVars: Record<string, string>;
}

export function engineSettings(env: NodeJS.ProcessEnv = process.env): EngineSettings {
  const backendUrl = backendUrlOf(env.LP_INFRA_PULUMI_BACKEND || path.join(stateDir, 'pulumi'));
  const secretsProvider = env.LP_INFRA_PULUMI_SECRETS_PROVIDER || 'passphrase';
  const envVars: Record<string, string> = {
    PULUMI_BACKEND_URL: backendUrl,
    PULUMI_SKIP_UPDATE_CHECK: 'true',
    ...providerProcessPaths(env),
    LP_INFRA_PULUMI_PROVIDER_MODULE: handlerProviderPath,
    ...(secretsProvider === 'passphrase' ? passphrase(env, backendUrl) : {}),
  };
  if (backendUrl.startsWith('file://')) mkdirSync(fileURLToPath(backendUrl), { recursive: true });
  return { backendUrl, secretsProvider, envVars };
}

let command: Promise<PulumiCommand> | undefined;

/** The pulumi CLI built by `npm run setup` (or LP_INFRA_PULUMI_BIN), checked once per process. */
export function pulumiCommand(): Promise<PulumiCommand> {
  command ??= PulumiCommand.get({ root: path.dirname(path.dirname(toolPath('pulumi'))) });
  return command;
}

function backendUrlOf(value: string): string {
  return /^[a-z0-9]+:\/\//.test(value) ? value : pathToFileURL(path.resolve(value)).href;
}

function passphrase(env: NodeJS.ProcessEnv, backendUrl: string): Record<string, string> {
  if (env.PULUMI_CONFIG_PASSPHRASE !== undefined)
    return { PULUMI_CONFIG_PASSPHRASE: env.PULUMI_CONFIG_PASSPHRASE };
  if (env.PULUMI_CONFIG_PASSPHRASE_FILE)
    return { PULUMI_CONFIG_PASSPHRASE_FILE: env.PULUMI_CONFIG_PASSPHRASE_FILE };
  if (backendUrl.startsWith('file://')) return { PULUMI_CONFIG_PASSPHRASE: localPassphrase };
  throw new Error(
    `PULUMI_CONFIG_PASSPHRASE(_FILE) is not set for the shared backend ${backendUrl}; set it, or set ` +
      'LP_INFRA_PULUMI_SECRETS_PROVIDER to a key service (awskms://…)',
  );
}

/**
 * Dynamic providers run as pulumi-resource-pulumi-nodejs, a shell script that @pulumi/pulumi
 * ships at its package root (not linked into node_modules/.bin). It runs `node` and resolves
 * @pulumi/pulumi from the engine's working directory, a temporary one: hence PATH and NODE_PATH.
 */
function providerProcessPaths(env: NodeJS.ProcessEnv): { PATH: string; NODE_PATH: string } {
  const pulumiPackage = path.dirname(require.resolve('@pulumi/pulumi/package.json'));
  const nodeModules = path.dirname(path.dirname(pulumiPackage));
  return {
    PATH: searchPath(pulumiPackage, path.dirname(process.execPath), env.PATH),
    NODE_PATH: searchPath(nodeModules, env.NODE_PATH),
  };
}

function searchPath(...entries: (string | undefined)[]): string {
  return entries.filter((entry) => entry).join(path.delimiter);
}

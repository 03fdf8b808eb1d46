/** `lp-infra codec-server`: decodes lp-infra's encrypted payloads for the Temporal UI and CLI. */
import type { Command } from 'commander';
import { EncryptionCodec } from '../codec/encryption-codec';
import { loadKeyring } from '../codec/keyring';
import { localKeyFile } from '../codec/data-converter';
import { createCodecServer, listen } from '../codec/server';
import { readStackInfo } from '../dev/stack';
import { parsePort } from '../observability/env';
import { CliError } from './connect';
import { ExitCode } from './exit-codes';
import { withExamples } from './help';

interface CodecServerCommandOptions {
  port: string;
  host: string;
  corsOrigin?: string[];
}

/** The UI origins allowed by default: LP_INFRA_CODEC_CORS_ORIGINS, else the local stack's UI. */
export function defaultCorsOrigins(): string[] {
  const configured = process.env.LP_INFRA_CODEC_CORS_ORIGINS;
  if (configured)
    return configured
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean);
  const ui = readStackInfo()?.uiUrl;
  return [...new Set([...(ui ? [ui] : []), 'http://localhost:8233', 'http://127.0.0.1:8233'])];
}

async function codecServer(opts: CodecServerCommandOptions): Promise<void> {
  let port: number;
  let codec: EncryptionCodec;
  try {
    port = parsePort(opts.port, '--port') ?? 8888;
    codec = new EncryptionCodec(loadKeyring(localKeyFile));
  } catch (err) {
    throw new CliError((err as Error).message, ExitCode.invalidInput);
  }
  const corsOrigins = opts.corsOrigin?.length ? opts.corsOrigin : defaultCorsOrigins();
  const token = process.env.LP_INFRA_CODEC_SERVER_TOKEN || undefined;
  const server = createCodecServer({ codec, corsOrigins, token });
  try {
    port = await listen(server, port, opts.host);
  } catch (err) {
    throw new CliError(
      `cannot listen on ${opts.host}:${opts.port}: ${(err as Error).message}`,
      ExitCode.unavailable,
    );
  }
  console.error(
    `codec server on http://${opts.host}:${port} (POST /encode, /decode); CORS: ${corsOrigins.join(', ')}; ` +
      `authorization: ${token ? 'Bearer token required' : 'none'}`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => server.close(() => resolve());
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function registerCodecServer(program: Command): void {
  const command = program
    .command('codec-server')
    .description(
      'Serve the payload codec for the Temporal UI and CLI (POST /encode, /decode): those who reach it read ' +
        'payloads in the clear. Key from LP_INFRA_CODEC_KEY / LP_INFRA_CODEC_KEY_FILE; with ' +
        'LP_INFRA_CODEC_SERVER_TOKEN set, requests need "Authorization: Bearer <token>"',
    )
    .option('--port <port>', 'port to listen on', '8888')
    .option('--host <host>', 'interface to listen on (0.0.0.0 in a container)', '127.0.0.1')
    .option(
      '--cors-origin <origin>',
      'a UI origin allowed to call from the browser; repeat for more (default: LP_INFRA_CODEC_CORS_ORIGINS, else the local UI)',
      collect,
    )
    .action(codecServer);
  withExamples(command, [
    'lp-infra codec-server --port 8888',
    'temporal server start-dev --ui-codec-endpoint http://127.0.0.1:8888',
    'temporal workflow show -w provision/local --codec-endpoint http://127.0.0.1:8888',
  ]);
}

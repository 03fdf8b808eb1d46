/** `lp-infra codec-server`: decodes lp-infra's encrypted payloads for the Temporal UI and CLI. */
import type { Command } from 'commander';
import { CodecAuthenticator, codecAuthFromEnv } from '../codec/auth';
import { loadKeyring } from '../codec/keyring';
import { localKeyFile, payloadCodec } from '../codec/data-converter';
import {
  checkedOrigins,
  createCodecServer,
  createUiFront,
  listen,
  signInPath,
  uiCodecPath,
} from '../codec/server';
import { readStackInfo } from '../dev/stack';
import { parsePort } from '../observability/env';
import { CliError } from './connect';
import { ExitCode } from './exit-codes';
import { withExamples } from './help';

interface CodecServerCommandOptions {
  port: string;
  host: string;
  corsOrigin?: string[];
  uiPort?: string;
  uiUpstream?: string;
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

function describeAuth(auth: CodecAuthenticator): string {
  const { token, tokenSource, jwt } = auth.settings;
  return [
    ...(token ? [`Bearer token (${tokenSource}) or the sign-in cookie (${signInPath})`] : []),
    ...(jwt
      ? [
          `JWT from ${jwt.jwksUrl} for ${jwt.audience.join(', ')}${jwt.issuer ? ` issued by ${jwt.issuer}` : ''}`,
        ]
      : []),
  ].join('; or ');
}

async function codecServer(opts: CodecServerCommandOptions): Promise<void> {
  let port: number;
  let uiPort: number | undefined;
  let codec: ReturnType<typeof payloadCodec>;
  let auth: CodecAuthenticator;
  let corsOrigins: string[];
  try {
    port = parsePort(opts.port, '--port') ?? 8888;
    uiPort = parsePort(opts.uiPort, '--ui-port');
    if ((uiPort === undefined) !== (opts.uiUpstream === undefined))
      throw new Error('--ui-port and --ui-upstream go together');
    if (opts.uiUpstream && !/^http:\/\/[^/]+\/?$/.test(opts.uiUpstream))
      throw new Error(`--ui-upstream: expected the UI server's http://host:port, got '${opts.uiUpstream}'`);
    codec = payloadCodec(loadKeyring(localKeyFile));
    auth = new CodecAuthenticator(codecAuthFromEnv());
    if (uiPort !== undefined && !auth.settings.token)
      throw new Error(
        '--ui-port: the UI front signs browsers in with a static token; set LP_INFRA_CODEC_SERVER_TOKEN',
      );
    corsOrigins = checkedOrigins(opts.corsOrigin?.length ? opts.corsOrigin : defaultCorsOrigins());
  } catch (err) {
    throw new CliError((err as Error).message, ExitCode.invalidInput);
  }
  const servers = [createCodecServer({ codec, corsOrigins, auth })];
  const bind = async (index: number, wanted: number) => {
    try {
      return await listen(servers[index], wanted, opts.host);
    } catch (err) {
      throw new CliError(
        `cannot listen on ${opts.host}:${wanted}: ${(err as Error).message}`,
        ExitCode.unavailable,
      );
    }
  };
  port = await bind(0, port);
  console.error(
    `codec server on http://${opts.host}:${port} (POST /encode, /decode); CORS: ${corsOrigins.join(', ')}; ` +
      `authorization: ${describeAuth(auth)}`,
  );
  if (uiPort !== undefined && opts.uiUpstream) {
    servers.push(createUiFront({ codec, corsOrigins, auth, upstream: opts.uiUpstream }));
    uiPort = await bind(1, uiPort);
    console.error(
      `Temporal UI (${opts.uiUpstream}) on http://${opts.host}:${uiPort} for signed-in browsers ` +
        `(sign in at ${signInPath}; codec at ${uiCodecPath})`,
    );
  }
  await new Promise<void>((resolve) => {
    const stop = () => {
      let open = servers.length;
      for (const server of servers) server.close(() => --open === 0 && resolve());
      for (const server of servers) server.closeAllConnections();
    };
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
      'Serve the payload codec for the Temporal UI and CLI (POST /encode, /decode) to callers with credentials: ' +
        '"Authorization: Bearer <token>" (LP_INFRA_CODEC_SERVER_TOKEN or LP_INFRA_CODEC_SERVER_TOKEN_FILE, else ' +
        '.local/codec-token, made on first use), a JWT of LP_INFRA_CODEC_JWT_JWKS_URL (the UI\'s "pass access ' +
        `token"), or the cookie of the sign-in page (${signInPath}). Key from LP_INFRA_CODEC_KEY / LP_INFRA_CODEC_KEY_FILE`,
    )
    .option('--port <port>', 'port to listen on', '8888')
    .option('--host <host>', 'interface to listen on (0.0.0.0 in a container)', '127.0.0.1')
    .option(
      '--cors-origin <origin>',
      'a UI origin allowed to call from the browser; repeat for more (default: LP_INFRA_CODEC_CORS_ORIGINS, else the local UI)',
      collect,
    )
    .option(
      '--ui-port <port>',
      `also serve the Temporal UI of --ui-upstream on this port to signed-in browsers, with the codec at ${uiCodecPath} on the same origin (set the UI's codec endpoint to ${uiCodecPath})`,
    )
    .option('--ui-upstream <url>', 'the Temporal UI server behind --ui-port, e.g. http://127.0.0.1:8234')
    .action(codecServer);
  withExamples(command, [
    'lp-infra codec-server --port 8888',
    'lp-infra codec-server --ui-port 8233 --ui-upstream http://127.0.0.1:8234',
    'temporal workflow show -w provision/local --codec-endpoint http://127.0.0.1:8888 --codec-auth "Bearer $(cat .local/codec-token)"',
  ]);
}

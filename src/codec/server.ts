/**
 * The codec server the Temporal UI (and `temporal --codec-endpoint`) calls to show encrypted
 * payloads in the clear: POST /encode and POST /decode with a JSON body
 * `{"payloads": [{"metadata": {k: base64}, "data": base64}]}`, answered in the same shape.
 * Every call needs credentials (./auth.ts), else 401. CORS answers only the configured UI
 * origins.
 *
 * The UI front (`uiFront`) serves a Temporal UI server through this process, with the codec at
 * /lp-infra/codec on the UI's own origin: the browser then sends the sign-in cookie with every
 * codec call by itself. The dev server's UI has no setting to send credentials to a codec
 * server on another origin, so this is how the local stack's UI decodes with auth on.
 */
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { CodecAuthenticator } from './auth';

export interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

export interface CodecServerOptions {
  codec: PayloadCodec;
  /** Origins of the UIs that call from a browser, e.g. http://localhost:8080 (exact; no '*'). */
  corsOrigins: string[];
  auth: CodecAuthenticator;
  /** Largest request body accepted, in bytes (default 8 MiB). */
  maxBodyBytes?: number;
}

/** Where the UI front serves the codec and the sign-in page. */
export const uiCodecPath = '/lp-infra/codec';
export const signInPath = '/lp-infra/sign-in';

const ALLOWED_HEADERS = 'Content-Type, X-Namespace, Authorization';

export function fromJsonPayload(payload: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(
      Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')]),
    ),
    data: Buffer.from(payload.data ?? '', 'base64'),
  };
}

export function toJsonPayload(payload: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(
      Object.entries(payload.metadata ?? {}).map(([key, value]) => [
        key,
        Buffer.from(value ?? new Uint8Array()).toString('base64'),
      ]),
    ),
    data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
  };
}

/** Checks configured CORS origins: exact origins only, since they are answered with credentials allowed. */
export function checkedOrigins(origins: string[]): string[] {
  for (const origin of origins) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || parsed.origin !== origin)
      throw new Error(
        `CORS origin '${origin}': expected an exact origin such as http://localhost:8080 (scheme, host, port; no path, no '*')`,
      );
  }
  return origins;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function readBody(request: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new HttpError(413, `request body larger than ${limit} bytes`));
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function parsePayloads(body: string): JsonPayload[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new HttpError(400, 'body is not JSON');
  }
  const payloads = (parsed as { payloads?: unknown })?.payloads;
  if (!Array.isArray(payloads)) throw new HttpError(400, 'body.payloads: expected an array of payloads');
  return payloads as JsonPayload[];
}

const routeOf = (request: IncomingMessage) => (request.url ?? '/').split('?')[0].replace(/\/+$/, '') || '/';

/** Behind a TLS proxy the cookie gets Secure. */
const overTls = (request: IncomingMessage) =>
  request.headers['x-forwarded-proto'] === 'https' || 'encrypted' in request.socket;

function sameOrigin(request: IncomingMessage, origin: string): boolean {
  return origin === `http://${request.headers.host}` || origin === `https://${request.headers.host}`;
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** Only a path on this origin: an open redirect would carry a signed-in browser elsewhere. */
function safeNext(next: string | null | undefined): string | undefined {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : undefined;
}

function signInPage(response: ServerResponse, status: number, next: string | undefined, message?: string) {
  response.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
  });
  response.end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>lp-infra: sign in to read payloads</title>
<style>body{font:16px system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em}input{width:100%;padding:.4em;font:inherit}button{margin-top:1em;padding:.4em 1.2em;font:inherit}</style></head>
<body><h1>Sign in to read payloads</h1>
<p>lp-infra encrypts every payload; this codec server decrypts them for the Temporal UI once this browser signs in with the codec server's token.
For the local stack it is in the file <code>codec-token</code> of its state folder (<code>.local/codec-token</code> by default); for docker-compose it is <code>LP_INFRA_CODEC_SERVER_TOKEN</code> in <code>.env</code>.</p>
${message ? `<p role="alert"><strong>${escapeHtml(message)}</strong></p>` : ''}
<form method="post" action="${signInPath}">
<input type="hidden" name="next" value="${escapeHtml(next ?? '')}">
<label>Codec server token <input type="password" name="token" autocomplete="current-password" autofocus required></label>
<button type="submit">Sign in</button>
</form></body></html>`);
}

async function signIn(
  request: IncomingMessage,
  response: ServerResponse,
  auth: CodecAuthenticator,
  afterSignIn: string | undefined,
) {
  const url = new URL(request.url ?? '/', 'http://codec');
  if (!auth.cookieName)
    throw new HttpError(404, 'sign-in needs a static token (LP_INFRA_CODEC_SERVER_TOKEN)');
  if (request.method === 'GET') return signInPage(response, 200, safeNext(url.searchParams.get('next')));
  if (request.method !== 'POST') throw new HttpError(405, `${signInPath} takes GET or POST`);
  const form = new URLSearchParams(await readBody(request, 16 * 1024));
  const next = safeNext(form.get('next')) ?? afterSignIn;
  if (!auth.tokenMatches(form.get('token') ?? ''))
    return signInPage(response, 401, next, 'That is not the token. Try again.');
  response.setHeader('Set-Cookie', auth.sessionCookie(overTls(request)));
  if (next) {
    response.writeHead(303, { Location: next, 'Cache-Control': 'no-store' });
    response.end();
    return;
  }
  response.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end('Signed in: the Temporal UI in this browser now reads payloads through this codec server.\n');
}

/** `afterSignIn`: where a browser goes once signed in, when the sign-in page had no `next`. */
export function codecRequestHandler(options: CodecServerOptions, afterSignIn?: string) {
  const limit = options.maxBodyBytes ?? 8 * 1024 * 1024;
  const origins = checkedOrigins(options.corsOrigins);
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const origin = request.headers.origin;
    const allowed = origin !== undefined && origins.includes(origin);
    response.setHeader('Vary', 'Origin');
    if (allowed) {
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.setHeader('Access-Control-Allow-Credentials', 'true');
    }
    const send = (status: number, body: unknown) => {
      response.writeHead(status, {
        'Content-Type': 'application/json',
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      });
      response.end(JSON.stringify(body));
    };
    try {
      const path = routeOf(request);
      if (request.method === 'OPTIONS') {
        if (allowed) {
          response.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
          response.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
          response.setHeader('Access-Control-Max-Age', '600');
        }
        response.writeHead(allowed ? 204 : 403);
        response.end();
        return;
      }
      if (path === signInPath) return await signIn(request, response, options.auth, afterSignIn);
      if (request.method === 'GET' && (path === '/' || path === '/healthz')) return send(200, { ok: true });
      if (path !== '/encode' && path !== '/decode') throw new HttpError(404, `no route ${path}`);
      if (request.method !== 'POST') throw new HttpError(405, `${path} takes POST`);
      // A browser page of another origin gets nothing, whatever cookies its browser holds.
      if (origin !== undefined && !allowed && !sameOrigin(request, origin))
        throw new HttpError(403, `origin ${origin} is not allowed`);
      const auth = await options.auth.authorize(request);
      if (!auth.ok) {
        response.setHeader('WWW-Authenticate', 'Bearer realm="lp-infra codec"');
        throw new HttpError(401, `unauthorized: ${auth.reason}`);
      }
      const payloads = parsePayloads(await readBody(request, limit)).map(fromJsonPayload);
      const result =
        path === '/encode' ? await options.codec.encode(payloads) : await options.codec.decode(payloads);
      send(200, { payloads: result.map(toJsonPayload) });
    } catch (err) {
      if (err instanceof HttpError) return send(err.status, { error: err.message });
      send(400, {
        error: `cannot ${request.url?.includes('encode') ? 'encode' : 'decode'}: ${(err as Error).message}`,
      });
    }
  };
}

export function createCodecServer(options: CodecServerOptions): Server {
  const handler = codecRequestHandler(options);
  return createServer((request, response) => void handler(request, response));
}

const hopByHop = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'upgrade',
]);

/**
 * The Temporal UI at `upstream`, served on this server's origin to signed-in browsers only,
 * with the codec at /lp-infra/codec and the sign-in page at /lp-infra/sign-in. A browser that
 * is not signed in is sent to the sign-in page; any other request gets 401.
 */
export function createUiFront(options: CodecServerOptions & { upstream: string }): Server {
  const codec = codecRequestHandler(options, '/');
  const upstream = new URL(options.upstream);
  const { auth } = options;
  return createServer((request, response) => {
    const path = routeOf(request);
    if (path === signInPath) return void codec(request, response);
    if (path.startsWith(`${uiCodecPath}/`)) {
      request.url = request.url!.slice(uiCodecPath.length);
      return void codec(request, response);
    }
    if (!auth.signedIn(request)) {
      if (request.method === 'GET' && /text\/html/.test(request.headers.accept ?? '')) {
        response.writeHead(303, {
          Location: `${signInPath}?next=${encodeURIComponent(request.url ?? '/')}`,
          'Cache-Control': 'no-store',
        });
        return void response.end();
      }
      response.writeHead(401, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      return void response.end(JSON.stringify({ error: `unauthorized: sign in at ${signInPath}` }));
    }
    const headers = Object.fromEntries(
      Object.entries(request.headers).filter(([name]) => !hopByHop.has(name) && name !== 'cookie'),
    );
    const cookie = auth.withoutSessionCookie(request.headers.cookie);
    const proxied = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: request.method,
        path: request.url,
        headers: cookie ? { ...headers, cookie } : headers,
      },
      (answer) => {
        const answerHeaders = Object.fromEntries(
          Object.entries(answer.headers).filter(([name]) => !hopByHop.has(name)),
        );
        response.writeHead(answer.statusCode ?? 502, answerHeaders);
        answer.pipe(response);
      },
    );
    proxied.on('error', (err) => {
      if (response.headersSent) return void response.destroy();
      response.writeHead(502, { 'Content-Type': 'application/json' });
      response.end(
        JSON.stringify({ error: `the Temporal UI at ${upstream.origin} did not answer: ${err.message}` }),
      );
    });
    request.pipe(proxied);
  });
}

/** Starts listening; resolves with the bound port (useful with port 0). */
export function listen(server: Server, port: number, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/**
 * The codec server the Temporal UI (and `temporal --codec-endpoint`) calls to show
 * encrypted payloads in the clear to those who can reach it: POST /encode and
 * POST /decode with a JSON body `{"payloads": [{"metadata": {k: base64}, "data": base64}]}`,
 * answered in the same shape. CORS lets the UI's origin(s) call it from the browser;
 * with a token configured, requests must carry `Authorization: Bearer <token>`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';

export interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

export interface CodecServerOptions {
  codec: PayloadCodec;
  /** Origins allowed to call from a browser, e.g. http://localhost:8233; '*' allows any. */
  corsOrigins: string[];
  /** When set, every POST must carry `Authorization: Bearer <token>`. */
  token?: string;
  /** Largest request body accepted, in bytes (default 8 MiB). */
  maxBodyBytes?: number;
}

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

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function codecRequestHandler(options: CodecServerOptions) {
  const limit = options.maxBodyBytes ?? 8 * 1024 * 1024;
  const anyOrigin = options.corsOrigins.includes('*');
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const origin = request.headers.origin;
    if (origin && (anyOrigin || options.corsOrigins.includes(origin))) {
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.setHeader('Access-Control-Allow-Credentials', 'true');
      response.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      response.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      response.setHeader('Vary', 'Origin');
    }
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    try {
      const path = (request.url ?? '/').split('?')[0].replace(/\/+$/, '');
      if (request.method === 'OPTIONS') {
        response.writeHead(origin && response.hasHeader('Access-Control-Allow-Origin') ? 204 : 403);
        response.end();
        return;
      }
      if (request.method === 'GET' && (path === '' || path === '/healthz')) return send(200, { ok: true });
      if (path !== '/encode' && path !== '/decode') throw new HttpError(404, `no route ${path}`);
      if (request.method !== 'POST') throw new HttpError(405, `${path} takes POST`);
      if (options.token !== undefined) {
        const given = request.headers.authorization ?? '';
        if (!sameSecret(given, `Bearer ${options.token}`)) throw new HttpError(401, 'unauthorized');
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

/**
 * A fault-injecting HTTP proxy on loopback in front of an AWS emulator. At set rates and
 * from a seed it answers with throttling (400 ThrottlingException), 503, 500, resets the
 * connection before or after forwarding (the request applied, the answer lost), or answers
 * slowly. Rules can also deny one API action (403 AccessDenied) or reject it as invalid, in
 * every region or in one. It counts what it did, per fault and per action.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FaultRates {
  throttle?: number;
  unavailable?: number;
  internal?: number;
  /** Connection reset before the request reaches the emulator. */
  resetBefore?: number;
  /** Connection reset after the emulator applied the request: the answer is lost. */
  resetAfter?: number;
  slow?: number;
  /** Upper bound of a slow answer's delay (ms). */
  slowMs?: number;
}

export interface FaultProxy {
  endpoint: string;
  /** Faults injected so far, by kind. */
  injected: Record<string, number>;
  /** Requests seen, by `service:Action`. */
  actions: Record<string, number>;
  setRates(rates: FaultRates): void;
  /**
   * Answer every call of `action` with this error, in one region or (default) in all. A query
   * or JSON call is named by its action (`ec2:CreateVpc`); a REST call by its method, path and
   * query keys, where `*` stands for one path segment (`s3:PUT /*?lifecycle`).
   */
  deny(action: string, error: 'AccessDenied' | 'ValidationError' | undefined, region?: string): void;
  /** Forward the next call of each action, then reset the connection: it applied, its answer is lost. */
  loseNextAnswer(...actions: string[]): void;
  stop(): Promise<void>;
}

function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The region and service (from the SigV4 credential scope) and the action: the query's
 * Action=, the JSON target, or for REST the method, the path and the query's keys
 * (`PUT /assets-bucket?lifecycle` is PutBucketLifecycleConfiguration).
 */
function describe(req: IncomingMessage, body: Buffer): { region: string; service: string; action: string } {
  const scope = /Credential=[^/]+\/\d+\/([^/]+)\/([^/]+)\//.exec(req.headers.authorization ?? '');
  const [region, service] = [scope?.[1] ?? 'unknown', scope?.[2] ?? 'unknown'];
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') return { region, service, action: target.split('.').pop() ?? target };
  const query =
    /(?:^|&)Action=([A-Za-z0-9]+)/.exec(body.toString('utf8')) ??
    /[?&]Action=([A-Za-z0-9]+)/.exec(req.url ?? '');
  if (query) return { region, service, action: query[1] };
  const [pathname, search = ''] = (req.url ?? '').split('?');
  const keys = [...new URLSearchParams(search).keys()].sort().join('&');
  const call = `${req.method} ${pathname.replace(/(.)\/+$/, '$1')}`;
  return { region, service, action: keys ? `${call}?${keys}` : call };
}

/** A deny rule's action as a pattern: `*` is one path segment, the rest is literal. */
function pattern(action: string): RegExp {
  const literal = action.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${literal.join('[^/?]+')}$`);
}

/** An error answer in the wire format of the service, so the SDK parses its code. */
function errorAnswer(
  res: ServerResponse,
  service: string,
  json: boolean,
  status: number,
  code: string,
  message: string,
) {
  if (json) {
    res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-ErrorType': code });
    res.end(JSON.stringify({ __type: code, message }));
    return;
  }
  res.writeHead(status, { 'Content-Type': 'text/xml' });
  if (service === 'ec2') {
    res.end(
      `<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>fault</RequestID></Response>`,
    );
  } else if (service === 's3') {
    res.end(`<Error><Code>${code}</Code><Message>${message}</Message><RequestId>fault</RequestId></Error>`);
  } else {
    res.end(
      `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>fault</RequestId></ErrorResponse>`,
    );
  }
}

export async function startFaultProxy(
  target: string,
  seed: number,
  initial: FaultRates = {},
): Promise<FaultProxy> {
  const upstream = new URL(target);
  const next = random(seed);
  let rates: FaultRates = initial;
  const denied = new Map<
    string,
    { region: string; matches: RegExp; error: 'AccessDenied' | 'ValidationError' }
  >();
  const loseAnswer = new Set<string>();
  const injected: Record<string, number> = {};
  const actions: Record<string, number> = {};
  const count = (kind: string) => (injected[kind] = (injected[kind] ?? 0) + 1);

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const { region, service, action } = describe(req, body);
      const key = `${service}:${action}`;
      actions[key] = (actions[key] ?? 0) + 1;
      const json =
        typeof req.headers['x-amz-target'] === 'string' || /json/.test(req.headers['content-type'] ?? '');
      const forward = (afterAnswer?: () => void) => {
        const proxied = httpRequest(
          {
            host: upstream.hostname,
            port: upstream.port,
            method: req.method,
            path: req.url,
            headers: req.headers,
          },
          (answer) => {
            if (afterAnswer) {
              answer.resume();
              answer.on('end', afterAnswer);
              return;
            }
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        proxied.on('error', () => res.destroy());
        proxied.end(body);
      };

      const rule = [...denied.values()].find(
        (r) => (r.region === '*' || r.region === region) && r.matches.test(key),
      )?.error;
      if (rule === 'AccessDenied') {
        count('denied');
        return errorAnswer(
          res,
          service,
          json,
          403,
          json ? 'AccessDeniedException' : service === 'ec2' ? 'UnauthorizedOperation' : 'AccessDenied',
          `User is not authorized to perform: ${service}:${action}`,
        );
      }
      if (rule === 'ValidationError') {
        count('invalid');
        return errorAnswer(
          res,
          service,
          json,
          400,
          json ? 'ValidationException' : service === 'ec2' ? 'InvalidParameterValue' : 'ValidationError',
          `1 validation error detected in ${action}`,
        );
      }
      if (loseAnswer.delete(key)) {
        count('answer-lost');
        return forward(() => req.socket.destroy());
      }
      // Never fault the emulator's own API (resets, recorder) or the tagging census.
      if ((req.url ?? '').startsWith('/moto-api')) return forward();

      let r = next();
      const pick = (rate = 0) => {
        if (r < rate) return true;
        r -= rate;
        return false;
      };
      if (pick(rates.throttle)) {
        count('throttle');
        const code = service === 'ec2' ? 'RequestLimitExceeded' : json ? 'ThrottlingException' : 'Throttling';
        return errorAnswer(res, service, json, 400, code, 'Rate exceeded');
      }
      if (pick(rates.unavailable)) {
        count('503');
        return errorAnswer(
          res,
          service,
          json,
          503,
          service === 's3' ? 'SlowDown' : 'ServiceUnavailable',
          'Service unavailable',
        );
      }
      if (pick(rates.internal)) {
        count('500');
        return errorAnswer(
          res,
          service,
          json,
          500,
          json ? 'InternalFailure' : 'InternalError',
          'We encountered an internal error',
        );
      }
      if (pick(rates.resetBefore)) {
        count('reset-before');
        return req.socket.destroy();
      }
      if (pick(rates.resetAfter)) {
        count('reset-after');
        return forward(() => req.socket.destroy());
      }
      if (pick(rates.slow)) {
        count('slow');
        setTimeout(() => forward(), Math.floor(next() * (rates.slowMs ?? 1500)));
        return;
      }
      forward();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    injected,
    actions,
    setRates: (r) => {
      rates = r;
    },
    deny: (action, error, region = '*') =>
      error
        ? denied.set(`${region} ${action}`, { region, matches: pattern(action), error })
        : denied.delete(`${region} ${action}`),
    loseNextAnswer: (...names) => names.forEach((name) => loseAnswer.add(name)),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

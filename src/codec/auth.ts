/**
 * Who may use the codec server. A request is let in when it carries one of:
 * - `Authorization: Bearer <token>` with the static token (LP_INFRA_CODEC_SERVER_TOKEN,
 *   LP_INFRA_CODEC_SERVER_TOKEN_FILE, else the local token file, made on first use);
 * - `Authorization: Bearer <JWT>` signed by a key of the identity provider's JWKS, for the
 *   configured audience (and issuer), not expired: what the Temporal UI sends with
 *   "pass access token" (LP_INFRA_CODEC_JWT_*);
 * - the sign-in cookie, which a browser gets once by entering the static token on the sign-in
 *   page. It is derived from the token, so the token itself never sits in a cookie jar.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { createRemoteJWKSet, jwtVerify, errors as joseErrors } from 'jose';
import { stateDir } from '../infra/toolchain';

/** The local stack's codec server token: random, readable by its owner only. */
export const localTokenFile = path.join(stateDir, 'codec-token');

const MIN_TOKEN_LENGTH = 16;

export interface JwtSettings {
  jwksUrl: string;
  audience: string[];
  issuer?: string;
  /** Identities let in: `user@example.com`, or `@example.com` for a whole domain. Unset: any. */
  allow?: string[];
  /** The claim that holds the identity (default `email`). */
  identityClaim: string;
}

export interface CodecAuthSettings {
  token?: string;
  /** Where the token came from, for messages (never the token). */
  tokenSource?: string;
  jwt?: JwtSettings;
}

export type AuthResult = { ok: true } | { ok: false; reason: string };

/** Reads the token in `file`, or makes one there (mode 0600) when there is none. */
export function readOrCreateToken(file: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  // A file made by hand with the umask's mode is narrowed to its owner.
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  return readToken(file, file);
}

function readToken(file: string, name: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`${name}: cannot read ${file} (${(err as NodeJS.ErrnoException).code})`);
  }
  return checkedToken(text.trim(), name);
}

function checkedToken(token: string, name: string): string {
  if (token.length < MIN_TOKEN_LENGTH || /\s/.test(token))
    throw new Error(
      `${name}: the codec server token must be at least ${MIN_TOKEN_LENGTH} characters without spaces (make one with: openssl rand -hex 32)`,
    );
  return token;
}

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

/**
 * The codec server's credentials from the environment. With neither a token nor JWT
 * settings, the local token file is used (made on first use): authentication is never off.
 */
export function codecAuthFromEnv(env: NodeJS.ProcessEnv = process.env): CodecAuthSettings {
  const settings: CodecAuthSettings = {};
  if (env.LP_INFRA_CODEC_SERVER_TOKEN) {
    settings.token = checkedToken(env.LP_INFRA_CODEC_SERVER_TOKEN, 'LP_INFRA_CODEC_SERVER_TOKEN');
    settings.tokenSource = 'LP_INFRA_CODEC_SERVER_TOKEN';
  } else if (env.LP_INFRA_CODEC_SERVER_TOKEN_FILE) {
    settings.token = readToken(env.LP_INFRA_CODEC_SERVER_TOKEN_FILE, 'LP_INFRA_CODEC_SERVER_TOKEN_FILE');
    settings.tokenSource = env.LP_INFRA_CODEC_SERVER_TOKEN_FILE;
  }
  const jwks = env.LP_INFRA_CODEC_JWT_JWKS_URL;
  const audience = list(env.LP_INFRA_CODEC_JWT_AUDIENCE);
  if (jwks || audience.length || env.LP_INFRA_CODEC_JWT_ISSUER || env.LP_INFRA_CODEC_JWT_ALLOW) {
    if (!jwks || !audience.length)
      throw new Error(
        'JWT verification needs LP_INFRA_CODEC_JWT_JWKS_URL and LP_INFRA_CODEC_JWT_AUDIENCE (LP_INFRA_CODEC_JWT_ISSUER and LP_INFRA_CODEC_JWT_ALLOW are optional)',
      );
    try {
      new URL(jwks);
    } catch {
      throw new Error(`LP_INFRA_CODEC_JWT_JWKS_URL: '${jwks}' is not a URL`);
    }
    const allow = list(env.LP_INFRA_CODEC_JWT_ALLOW);
    settings.jwt = {
      jwksUrl: jwks,
      audience,
      issuer: env.LP_INFRA_CODEC_JWT_ISSUER || undefined,
      allow: allow.length ? allow : undefined,
      identityClaim: env.LP_INFRA_CODEC_JWT_IDENTITY_CLAIM || 'email',
    };
  }
  if (!settings.token && !settings.jwt) {
    settings.token = readOrCreateToken(localTokenFile);
    settings.tokenSource = localTokenFile;
  }
  return settings;
}

/** Equal strings, in a time that does not depend on where they differ (or on their lengths). */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

export class CodecAuthenticator {
  /** Named after the token, so two stacks on one host (cookies ignore ports) keep their own. */
  readonly cookieName?: string;
  private readonly session?: string;
  private readonly jwks?: ReturnType<typeof createRemoteJWKSet>;

  constructor(readonly settings: CodecAuthSettings) {
    if (!settings.token && !settings.jwt) throw new Error('the codec server needs a token or JWT settings');
    if (settings.token) {
      this.cookieName = `lp-infra-codec-${createHash('sha256').update(settings.token).digest('hex').slice(0, 12)}`;
      this.session = createHmac('sha256', settings.token)
        .update('lp-infra codec session')
        .digest('base64url');
    }
    if (settings.jwt) this.jwks = createRemoteJWKSet(new URL(settings.jwt.jwksUrl));
  }

  /** Whether `given` is the static token (the sign-in page checks it). */
  tokenMatches(given: string): boolean {
    return this.settings.token !== undefined && sameSecret(given, this.settings.token);
  }

  /** The Set-Cookie value that signs a browser in. */
  sessionCookie(secure: boolean): string {
    if (!this.cookieName || !this.session) throw new Error('sign-in needs a static token');
    return [
      `${this.cookieName}=${this.session}`,
      'Path=/',
      'HttpOnly',
      'SameSite=Strict',
      `Max-Age=${30 * 24 * 3600}`,
      ...(secure ? ['Secure'] : []),
    ].join('; ');
  }

  /** Whether the request carries the sign-in cookie. */
  signedIn(request: IncomingMessage): boolean {
    if (!this.cookieName || !this.session) return false;
    const given = cookieValue(request.headers.cookie, this.cookieName);
    return given !== undefined && sameSecret(given, this.session);
  }

  /** The Cookie header without the sign-in cookie (what a proxied UI server gets). */
  withoutSessionCookie(header: string | undefined): string | undefined {
    if (!header || !this.cookieName) return header;
    const rest = header
      .split(';')
      .map((p) => p.trim())
      .filter((p) => p && !p.startsWith(`${this.cookieName}=`));
    return rest.length ? rest.join('; ') : undefined;
  }

  async authorize(request: IncomingMessage): Promise<AuthResult> {
    if (this.signedIn(request)) return { ok: true };
    const header = request.headers.authorization;
    if (!header) return { ok: false, reason: 'no credentials' };
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
    if (!bearer) return { ok: false, reason: 'Authorization is not a Bearer token' };
    if (this.tokenMatches(bearer)) return { ok: true };
    if (!this.jwks || !this.settings.jwt || bearer.split('.').length !== 3)
      return { ok: false, reason: 'wrong token' };
    return this.verifyJwt(bearer, this.settings.jwt);
  }

  private async verifyJwt(jwt: string, settings: JwtSettings): Promise<AuthResult> {
    try {
      const { payload } = await jwtVerify(jwt, this.jwks!, {
        audience: settings.audience,
        issuer: settings.issuer,
        requiredClaims: ['exp'],
        clockTolerance: 30,
      });
      if (!settings.allow) return { ok: true };
      const identity = payload[settings.identityClaim];
      if (typeof identity !== 'string') return { ok: false, reason: `JWT has no ${settings.identityClaim}` };
      const id = identity.toLowerCase();
      const allowed = settings.allow.some((a) =>
        a.startsWith('@') ? id.endsWith(a.toLowerCase()) : id === a.toLowerCase(),
      );
      return allowed ? { ok: true } : { ok: false, reason: `${identity} is not allowed` };
    } catch (err) {
      const reason =
        err instanceof joseErrors.JOSEError ? `JWT refused (${err.code}: ${err.message})` : 'JWT refused';
      return { ok: false, reason };
    }
  }
}

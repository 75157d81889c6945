/**
 * The HTTP edge of the engine: credentials read from headers and cookies, cross-site
 * checks, and the engine's error kinds mapped to statuses. The engine itself knows none
 * of this.
 */
import type { Credentials, ErrorKind } from '../../../analytics';
import { EngineError } from '../../../analytics';

export const SESSION_COOKIE = 'pipelens_session';

export const STATUS_OF: Record<ErrorKind, 400 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503 | 507> = {
  rejected: 422,
  unsupported: 415,
  'too-large': 413,
  'bad-parameter': 400,
  'not-found': 404,
  conflict: 409,
  forbidden: 403,
  throttled: 429,
  unavailable: 503,
  'storage-full': 507
};

/** Request bodies other than uploads (sign-in and settings forms, JSON) are at most this long. */
export const SMALL_BODY = 64 * 1024;

/** The status an engine error answers with; null for anything else (a logged 500). */
export function statusOf(err: unknown): number | null {
  return err instanceof EngineError ? STATUS_OF[err.kind] : null;
}

/** A bearer token from Authorization, else the session cookie. */
export function credentialsOf(headers: Headers): Credentials {
  const bearer = /^Bearer\s+(\S+)$/i.exec(headers.get('authorization') ?? '');
  return { token: bearer?.[1] ?? null, session: bearer ? null : cookieValue(headers.get('cookie') ?? '', SESSION_COOKIE) };
}

export function cookieValue(cookieHeader: string, name: string): string | null {
  for (const part of cookieHeader.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) {
      try {
        return decodeURIComponent(v.join('='));
      } catch {
        return null;
      }
    }
  }
  return null;
}

/**
 * A browser write from another site: browsers always send Origin on cross-site writes,
 * scripts (curl, the CLI) send none. With ORIGIN set (behind a proxy) the Origin header is
 * compared to it, whatever Host the proxy forwards; else hosts are compared with the
 * request's URL (without ORIGIN, adapter-node takes every request for https).
 */
export function crossSiteWrite(method: string, origin: string | null | undefined, url: URL | string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (['GET', 'HEAD', 'OPTIONS'].includes(method) || !origin) return false;
  try {
    const sent = new URL(origin);
    return env.ORIGIN ? sent.origin !== new URL(env.ORIGIN).origin : sent.host !== new URL(url).host;
  } catch {
    return true;
  }
}

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];
const hostnameOf = (host: string) => {
  if (!/^([\w.-]+|\[[\da-f:.]+\])(:\d+)?$/i.test(host)) return null;
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return null;
  }
};

/**
 * Whether the Host header names this server: a loopback name, ORIGIN's host, HOST's (the
 * address it listens on) or one of PIPELENS_ALLOWED_HOSTS (comma-separated; `*` for any).
 * A DNS-rebinding page reaches a local server under its own name: that name is refused.
 */
export function hostAllowed(host: string | null, env: NodeJS.ProcessEnv = process.env): boolean {
  const listed = (env.PIPELENS_ALLOWED_HOSTS ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
  if (listed.includes('*')) return true;
  const name = host ? hostnameOf(host) : null;
  if (!name) return false;
  const origin = env.ORIGIN && URL.canParse(env.ORIGIN) ? new URL(env.ORIGIN).hostname : null;
  const allowed = [...LOOPBACK, origin, env.HOST && hostnameOf(env.HOST), ...listed.map(hostnameOf)];
  return allowed.includes(name);
}

/**
 * A page's form post whose body is too long to read (or of unknown length: our forms always
 * send Content-Length), answered before reading it; null when it may be read. The
 * connection is closed rather than drained.
 */
export function oversizedForm(request: Request, limit = SMALL_BODY): Response | null {
  if (!request.body) return null;
  const length = request.headers.get('content-length');
  const headers = { 'content-type': 'text/plain; charset=utf-8', connection: 'close' };
  if (length === null) return new Response('send the form with a Content-Length\n', { status: 411, headers });
  if (!(Number(length) <= limit)) return new Response(`a form here is at most ${limit} bytes\n`, { status: 413, headers });
  return null;
}

/**
 * Where to go after signing in: a path of this site only. It starts with one '/', holds
 * no backslash, whitespace or control character (browsers read `/\evil` and `/<tab>/evil`
 * as `//evil`), and its path does not start with '//' once decoded; else '/'.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || !/^\/(?![/\\])/.test(next) || /[\\\s\x00-\x1f\x7f]/.test(next)) return '/';
  let path: string;
  try {
    path = decodeURIComponent(next.split(/[?#]/)[0]);
  } catch {
    return '/';
  }
  return /^\/[/\\]/.test(path) || /[\\\s\x00-\x1f\x7f]/.test(path) ? '/' : next;
}

/** The workspace a page or API path addresses: `/w/<slug>/…` or `/api/w/<slug>/…`; null for the default. */
export function workspaceOfPath(pathname: string): string | null {
  return /^(?:\/api)?\/w\/([^/]+)/.exec(pathname)?.[1] ?? null;
}

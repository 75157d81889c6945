/**
 * The HTTP edge of the engine: credentials read from headers and cookies, cross-site
 * checks, and the engine's error kinds mapped to statuses. The engine itself knows none
 * of this.
 */
import type { Credentials, ErrorKind } from '../../../analytics';
import { EngineError } from '../../../analytics';

export const SESSION_COOKIE = 'pipelens_session';

export const STATUS_OF: Record<ErrorKind, 400 | 403 | 404 | 409 | 413 | 415 | 422 | 507> = {
  rejected: 422,
  unsupported: 415,
  'too-large': 413,
  'bad-parameter': 400,
  'not-found': 404,
  conflict: 409,
  forbidden: 403,
  'storage-full': 507
};

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
 * scripts (curl, the CLI) send none. Hosts, not origins, are compared: without ORIGIN
 * set, adapter-node takes every request for https.
 */
export function crossSiteWrite(method: string, origin: string | null | undefined, host: string | null | undefined): boolean {
  if (['GET', 'HEAD', 'OPTIONS'].includes(method) || !origin) return false;
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}

/** The workspace a page or API path addresses: `/w/<slug>/…` or `/api/w/<slug>/…`; null for the default. */
export function workspaceOfPath(pathname: string): string | null {
  return /^(?:\/api)?\/w\/([^/]+)/.exec(pathname)?.[1] ?? null;
}

import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { Database } from './db';
import { BadParameterError } from './errors';

/**
 * Access control (off unless PIPELENS_AUTH is set): people sign in with a password and
 * get a session cookie; scripts send `Authorization: Bearer <token>`. Passwords are
 * stored as scrypt hashes, tokens and session ids as SHA-256 hashes (they are random
 * 256-bit values, so a fast hash is enough); the clear values exist only on the client.
 */
export type Role = 'viewer' | 'uploader' | 'admin';
export const ROLES: Role[] = ['viewer', 'uploader', 'admin'];

export interface Actor {
  name: string;
  role: Role;
}

export const SESSION_COOKIE = 'pipelens_session';
export const SESSION_DAYS = 14;

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export function authEnabled(env = process.env): boolean {
  const v = (env.PIPELENS_AUTH ?? '').trim().toLowerCase();
  return v !== '' && v !== 'off' && v !== '0' && v !== 'false';
}

/** With access control off, everyone acts as an admin (Pipelens then listens on localhost only). */
export const OPEN_ACTOR: Actor = { name: 'anonymous', role: 'admin' };

export function allows(actor: Actor, needed: Role): boolean {
  return ROLES.indexOf(actor.role) >= ROLES.indexOf(needed);
}

function checkRole(role: string): Role {
  if (!ROLES.includes(role as Role)) throw new BadParameterError('role', `one of ${ROLES.join(', ')}`);
  return role as Role;
}

async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 32);
  return `scrypt$${salt.toString('base64')}$${hash.toString('base64')}`;
}

async function passwordMatches(password: string, stored: string): Promise<boolean> {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length);
  return timingSafeEqual(actual, expected);
}

export async function addUser(db: Database, name: string, role: string, password: string): Promise<void> {
  if (!/^[\w.@-]{1,64}$/.test(name)) throw new BadParameterError('name', 'letters, digits, . _ @ - (at most 64)');
  if (password.length < 10) throw new BadParameterError('password', 'at least 10 characters');
  const hash = await hashPassword(password);
  await db.transaction(async (conn) => {
    await conn.run(`DELETE FROM users WHERE name = $name`, { name });
    await conn.run(`INSERT INTO users VALUES ($name, $role, $hash, now()::TIMESTAMP)`, { name, role: checkRole(role), hash });
  });
}

/** Returns the token's clear value: shown once, never stored. */
export async function createToken(db: Database, name: string, role: string): Promise<string> {
  const token = `pl_${randomBytes(32).toString('base64url')}`;
  await db.transaction((conn) =>
    conn.run(`INSERT INTO api_tokens VALUES ($id, $name, $role, $hash, now()::TIMESTAMP, NULL)`, {
      id: token.slice(0, 10),
      name,
      role: checkRole(role),
      hash: sha256(token)
    })
  );
  return token;
}

export async function revokeToken(db: Database, tokenId: string): Promise<boolean> {
  return db.transaction(async (conn) => {
    const r = await conn.runAndReadAll(`DELETE FROM api_tokens WHERE token_id = $id RETURNING token_id`, { id: tokenId });
    return r.getRowObjectsJS().length > 0;
  });
}

export async function actorFromToken(db: Database, token: string): Promise<Actor | null> {
  const [row] = await db.query<{ name: string; role: Role }>(`SELECT name, role FROM api_tokens WHERE token_hash = $hash`, { hash: sha256(token) });
  return row ? { name: `token:${row.name}`, role: row.role } : null;
}

/** A session id for a correct name and password, else null (the same answer for an unknown name). */
export async function signIn(db: Database, name: string, password: string): Promise<{ session: string; actor: Actor } | null> {
  const [user] = await db.query<{ role: Role; password_hash: string }>(`SELECT role, password_hash FROM users WHERE name = $name`, { name });
  const ok = await passwordMatches(password, user?.password_hash ?? 'scrypt$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=');
  if (!user || !ok) return null;
  const session = randomBytes(32).toString('base64url');
  await db.transaction((conn) =>
    conn.run(`INSERT INTO sessions VALUES ($hash, $name, now()::TIMESTAMP, now()::TIMESTAMP + to_days($days))`, { hash: sha256(session), name, days: SESSION_DAYS })
  );
  return { session, actor: { name, role: user.role } };
}

export async function actorFromSession(db: Database, session: string): Promise<Actor | null> {
  const [row] = await db.query<{ name: string; role: Role }>(
    `SELECT u.name, u.role FROM sessions s JOIN users u ON u.name = s.user_name WHERE s.session_hash = $hash AND s.expires_at > now()::TIMESTAMP`,
    { hash: sha256(session) }
  );
  return row ?? null;
}

export async function signOut(db: Database, session: string): Promise<void> {
  await db.transaction((conn) => conn.run(`DELETE FROM sessions WHERE session_hash = $hash`, { hash: sha256(session) }));
}

/** Who is asking: a bearer token, else a session cookie; null when neither is valid. */
export async function authenticate(db: Database, headers: { authorization?: string | null; cookie?: string | null }): Promise<Actor | null> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '');
  if (bearer) return actorFromToken(db, bearer[1]);
  const session = cookieValue(headers.cookie ?? '', SESSION_COOKIE);
  return session ? actorFromSession(db, session) : null;
}

export function cookieValue(cookieHeader: string, name: string): string | null {
  for (const part of cookieHeader.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return null;
}

export async function audit(db: Database, actor: Actor | string, action: string, snapshotId: number | null = null, detail: string | null = null): Promise<void> {
  const name = typeof actor === 'string' ? actor : actor.name;
  await db.transaction((conn) =>
    conn.run(`INSERT INTO audit_log VALUES (now()::TIMESTAMP, $actor, $action, $snapshot, $detail)`, { actor: name, action, snapshot: snapshotId, detail })
  );
}

export interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  snapshot_id: number | null;
  detail: string | null;
}

export function auditLog(db: Database, limit = 500): Promise<AuditEntry[]> {
  return db.query<AuditEntry>(
    `SELECT strftime(logged_at, '%Y-%m-%dT%H:%M:%SZ') AS at, actor, action, snapshot_id, detail FROM audit_log ORDER BY logged_at DESC LIMIT $limit`,
    { limit }
  );
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

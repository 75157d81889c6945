import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { Database } from './db';
import { BadParameterError, NotFoundError } from './errors';

/**
 * Access control (off unless PIPELENS_AUTH is set). People sign in with a password and get
 * a session; scripts present a token. Users and sessions belong to the server (one sign-in
 * for every workspace); a user's role is given per workspace, and a token is scoped to one
 * workspace. Passwords are stored as scrypt hashes, tokens and session ids as SHA-256
 * hashes (they are random 256-bit values, so a fast hash is enough); the clear values exist
 * only on the client. These functions work on the registry's database (workspaces.ts).
 */
export type Role = 'viewer' | 'uploader' | 'admin';
export const ROLES: Role[] = ['viewer', 'uploader', 'admin'];

/** Who is asking, across workspaces. */
export interface Principal {
  name: string;
  /** creates, renames and deletes workspaces, and is an admin in every one */
  serverAdmin: boolean;
  /** role per workspace slug */
  roles: Record<string, Role>;
}

/** Who is asking within one workspace. */
export interface Actor {
  name: string;
  role: Role;
}

export const SESSION_DAYS = 14;
/** Longer passwords are refused before hashing (scrypt over megabytes is a denial of service). */
export const MAX_PASSWORD_LENGTH = 1024;
/** Sign-ins refused for a name or a client address after this many failures within the window. */
export const SIGN_IN_LIMIT = 5;
export const SIGN_IN_WINDOW_MINUTES = 15;

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export function authEnabled(env: NodeJS.ProcessEnv): boolean {
  const v = (env.PIPELENS_AUTH ?? '').trim().toLowerCase();
  return v !== '' && v !== 'off' && v !== '0' && v !== 'false';
}

/** With access control off, everyone acts as a server admin (Pipelens then listens on localhost only). */
export const OPEN_PRINCIPAL: Principal = { name: 'anonymous', serverAdmin: true, roles: {} };

/** The principal's role in a workspace; null when they have none there (the workspace is then not theirs to see). */
export function actorIn(principal: Principal, workspace: string): Actor | null {
  if (principal.serverAdmin) return { name: principal.name, role: 'admin' };
  // own keys only: a slug such as `constructor` must not find Object's
  const role = Object.hasOwn(principal.roles, workspace) ? principal.roles[workspace] : undefined;
  return role ? { name: principal.name, role } : null;
}

export function allows(actor: Actor, needed: Role): boolean {
  return ROLES.indexOf(actor.role) >= ROLES.indexOf(needed);
}

export function checkRole(role: string): Role {
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

function checkPassword(password: string): string {
  if (password.length < 10 || password.length > MAX_PASSWORD_LENGTH) throw new BadParameterError('password', `10 to ${MAX_PASSWORD_LENGTH} characters`);
  return password;
}

/** Adds or replaces a user; their roles in workspaces are kept, their sessions end (a new password locks the old sign-ins out). */
export async function addUser(db: Database, name: string, password: string, opts: { serverAdmin?: boolean } = {}): Promise<void> {
  if (!/^[\w.@-]{1,64}$/.test(name)) throw new BadParameterError('name', 'letters, digits, . _ @ - (at most 64)');
  const hash = await hashPassword(checkPassword(password));
  await db.transaction(async (conn) => {
    await conn.run(`DELETE FROM users WHERE name = $name`, { name });
    await conn.run(`DELETE FROM sessions WHERE user_name = $name`, { name });
    await conn.run(`INSERT INTO users VALUES ($name, $hash, $admin, now()::TIMESTAMP)`, { name, hash, admin: opts.serverAdmin ?? false });
  });
}

/** Changes what is given of a user; a new password ends their sessions. NotFoundError for no such user. */
export async function updateUser(db: Database, name: string, change: { password?: string; serverAdmin?: boolean }): Promise<void> {
  const hash = change.password === undefined ? null : await hashPassword(checkPassword(change.password));
  await db.transaction(async (conn) => {
    const known = (await conn.runAndReadAll(`SELECT 1 FROM users WHERE name = $name`, { name })).getRowsJS().length;
    if (!known) throw new NotFoundError(`user ${name}`);
    if (hash !== null) {
      await conn.run(`UPDATE users SET password_hash = $hash WHERE name = $name`, { name, hash });
      await conn.run(`DELETE FROM sessions WHERE user_name = $name`, { name });
    }
    if (change.serverAdmin !== undefined) await conn.run(`UPDATE users SET server_admin = $admin WHERE name = $name`, { name, admin: change.serverAdmin });
  });
}

/** Removes a user with their sessions and roles; false when there was none of that name. */
export async function removeUser(db: Database, name: string): Promise<boolean> {
  return db.transaction(async (conn) => {
    const removed = (await conn.runAndReadAll(`DELETE FROM users WHERE name = $name RETURNING name`, { name })).getRowsJS().length > 0;
    await conn.run(`DELETE FROM sessions WHERE user_name = $name`, { name });
    await conn.run(`DELETE FROM memberships WHERE user_name = $name`, { name });
    return removed;
  });
}

export interface UserInfo {
  name: string;
  server_admin: boolean;
  created_at: string;
  /** role per workspace slug */
  roles: Record<string, Role>;
}

export async function listUsers(db: Database): Promise<UserInfo[]> {
  const users = await db.query<Omit<UserInfo, 'roles'>>(`SELECT name, server_admin, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') AS created_at FROM users ORDER BY name`);
  const roles = await db.query<{ user_name: string; workspace: string; role: Role }>(`SELECT user_name, workspace, role FROM memberships ORDER BY workspace`);
  return users.map((u) => ({ ...u, roles: Object.fromEntries(roles.filter((r) => r.user_name === u.name).map((r) => [r.workspace, r.role])) }));
}

export interface TokenInfo {
  token_id: string;
  name: string;
  workspace: string;
  role: Role;
  created_at: string;
}

export function listTokens(db: Database): Promise<TokenInfo[]> {
  return db.query<TokenInfo>(`SELECT token_id, name, workspace, role, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') AS created_at FROM api_tokens ORDER BY workspace, name, token_id`);
}

/** Gives a user a role in a workspace (null takes it away). */
export async function grantRole(db: Database, user: string, workspace: string, role: Role | null): Promise<void> {
  await db.transaction(async (conn) => {
    const known = (await conn.runAndReadAll(`SELECT 1 FROM users WHERE name = $user`, { user })).getRowsJS().length;
    if (!known) throw new BadParameterError('user', `no user ${user}`);
    await conn.run(`DELETE FROM memberships WHERE user_name = $user AND workspace = $workspace`, { user, workspace });
    if (role) await conn.run(`INSERT INTO memberships VALUES ($user, $workspace, $role)`, { user, workspace, role: checkRole(role) });
  });
}

/** Returns the token's clear value: shown once, never stored. */
export async function createToken(db: Database, name: string, workspace: string, role: string): Promise<string> {
  if (!name.trim() || name.length > 80) throw new BadParameterError('name', 'a name of 1 to 80 characters');
  const token = `pl_${randomBytes(32).toString('base64url')}`;
  await db.transaction((conn) =>
    conn.run(`INSERT INTO api_tokens VALUES ($id, $name, $workspace, $role, $hash, now()::TIMESTAMP)`, {
      id: token.slice(0, 10),
      name,
      workspace,
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

/** A token acts in its one workspace only. */
export async function principalFromToken(db: Database, token: string): Promise<Principal | null> {
  const [row] = await db.query<{ name: string; workspace: string; role: Role }>(
    `SELECT name, workspace, role FROM api_tokens WHERE token_hash = $hash`,
    { hash: sha256(token) }
  );
  return row ? { name: `token:${row.name}`, serverAdmin: false, roles: { [row.workspace]: row.role } } : null;
}

async function principalOf(db: Database, name: string, serverAdmin: boolean): Promise<Principal> {
  const roles = await db.query<{ workspace: string; role: Role }>(`SELECT workspace, role FROM memberships WHERE user_name = $name`, { name });
  return { name, serverAdmin, roles: Object.fromEntries(roles.map((r) => [r.workspace, r.role])) };
}

/** A session id for a correct name and password, else null (the same answer for an unknown name). */
export async function signIn(db: Database, name: string, password: string): Promise<{ session: string; principal: Principal } | null> {
  if (password.length > MAX_PASSWORD_LENGTH) return null;
  const [user] = await db.query<{ password_hash: string; server_admin: boolean }>(`SELECT password_hash, server_admin FROM users WHERE name = $name`, { name });
  const ok = await passwordMatches(password, user?.password_hash ?? 'scrypt$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=');
  if (!user || !ok) return null;
  const session = randomBytes(32).toString('base64url');
  await db.transaction((conn) =>
    conn.run(`INSERT INTO sessions VALUES ($hash, $name, now()::TIMESTAMP, now()::TIMESTAMP + to_days($days))`, { hash: sha256(session), name, days: SESSION_DAYS })
  );
  return { session, principal: await principalOf(db, name, user.server_admin) };
}

export async function principalFromSession(db: Database, session: string): Promise<Principal | null> {
  const [row] = await db.query<{ name: string; server_admin: boolean }>(
    `SELECT u.name, u.server_admin FROM sessions s JOIN users u ON u.name = s.user_name WHERE s.session_hash = $hash AND s.expires_at > now()::TIMESTAMP`,
    { hash: sha256(session) }
  );
  return row ? principalOf(db, row.name, row.server_admin) : null;
}

export async function signOut(db: Database, session: string): Promise<void> {
  await db.transaction((conn) => conn.run(`DELETE FROM sessions WHERE session_hash = $hash`, { hash: sha256(session) }));
}

/** What a request presents: a bearer token, else a session id (the edge reads them from headers). */
export interface Credentials {
  token?: string | null;
  session?: string | null;
}

/** Who presents these credentials; null when none is valid. */
export async function authenticate(db: Database, credentials: Credentials): Promise<Principal | null> {
  if (credentials.token) return principalFromToken(db, credentials.token);
  return credentials.session ? principalFromSession(db, credentials.session) : null;
}

export interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  snapshot_id: number | null;
  detail: string | null;
}

/** Records a write in a workspace's audit log. */
export async function audit(db: Database, actor: Actor | Principal | string, action: string, snapshotId: number | null = null, detail: string | null = null): Promise<void> {
  const name = typeof actor === 'string' ? actor : actor.name;
  await db.transaction((conn) =>
    conn.run(`INSERT INTO audit_log VALUES (now()::TIMESTAMP, $actor, $action, $snapshot, $detail)`, { actor: name, action, snapshot: snapshotId, detail })
  );
}

export function auditLog(db: Database, limit = 500): Promise<AuditEntry[]> {
  return db.query<AuditEntry>(
    `SELECT strftime(logged_at, '%Y-%m-%dT%H:%M:%SZ') AS at, actor, action, snapshot_id, detail FROM audit_log ORDER BY logged_at DESC LIMIT $limit`,
    { limit }
  );
}

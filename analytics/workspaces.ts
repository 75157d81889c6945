import type { DuckDBConnection } from '@duckdb/node-api';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import * as auth from './auth';
import { restore, type BackupManifest } from './storage/backup';
import { forgetDatabase, openDatabase, queryRows, type Database } from './db';
import { loadDemo } from './demo';
import { BadParameterError, ConflictError, NotFoundError, TooManyAttemptsError } from './errors';
import type { UploadSource } from './ingest/ingest';
import { createThrottle } from './throttle';
import { openWorkspace, type Workspace, type WorkspaceFiles } from './workspace';

/**
 * The workspaces of one data directory. Each workspace is one organisation's (or one data
 * set's) snapshots, settings and mappings, in a folder of its own (workspaces/<slug>/:
 * pipelens.duckdb, settings.json, mappings/), so it is backed up, moved or deleted as a
 * unit and nothing computed in one reads another's rows. The `default` workspace keeps the
 * places a single-database Pipelens used (PIPELENS_DB, PIPELENS_SETTINGS, PIPELENS_MAPPINGS),
 * so a database of that version opens as the default workspace, migrated. The registry
 * (workspaces.duckdb) lists the workspaces and holds what spans them: users, their roles
 * per workspace, sessions and tokens.
 */
export interface WorkspaceInfo {
  slug: string;
  name: string;
  /** the fictional demo company: pages say so on a banner */
  demo: boolean;
  created_at: string;
}

export interface DataLocations {
  dataDir: string;
  /** the most memory each database takes before larger work spills to disk (PIPELENS_MEMORY_LIMIT) */
  memoryLimit: string;
  registry: string;
  /** the default workspace's files */
  defaults: Required<WorkspaceFiles>;
}

export const DEFAULT_WORKSPACE = 'default';
export const DEMO_WORKSPACE = 'demo';
const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

/**
 * The data directory is `--data`, else PIPELENS_DATA, else the folder of an explicit
 * database file (`--db`, PIPELENS_DB: its registry and other workspaces sit beside it),
 * else data/.
 */
export function dataLocations(flags: { data?: string; db?: string }, env: NodeJS.ProcessEnv): DataLocations {
  const db = flags.db || env.PIPELENS_DB;
  const dataDir = flags.data || env.PIPELENS_DATA || (db ? dirname(db) : 'data');
  return {
    dataDir,
    memoryLimit: env.PIPELENS_MEMORY_LIMIT || '1GB',
    registry: join(dataDir, 'workspaces.duckdb'),
    defaults: {
      db: db || join(dataDir, 'pipelens.duckdb'),
      settings: env.PIPELENS_SETTINGS || join(dataDir, 'settings.json'),
      mappings: env.PIPELENS_MAPPINGS || join(dataDir, 'mappings')
    }
  };
}

export function workspaceFiles(locations: DataLocations, slug: string): Required<WorkspaceFiles> {
  if (slug === DEFAULT_WORKSPACE) return locations.defaults;
  const dir = join(locations.dataDir, 'workspaces', slug);
  return { db: join(dir, 'pipelens.duckdb'), settings: join(dir, 'settings.json'), mappings: join(dir, 'mappings') };
}

/** A slug from a name: lower case letters, digits and dashes. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return slug || 'workspace';
}

function checkName(name: unknown): string {
  if (typeof name !== 'string' || !name.trim() || name.trim().length > 80) throw new BadParameterError('name', 'a name of 1 to 80 characters');
  return name.trim();
}

const REGISTRY_MIGRATIONS = [
  `CREATE TABLE workspaces (slug VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, demo BOOLEAN NOT NULL, created_at TIMESTAMP NOT NULL);
   CREATE TABLE users (name VARCHAR PRIMARY KEY, password_hash VARCHAR NOT NULL, server_admin BOOLEAN NOT NULL, created_at TIMESTAMP NOT NULL);
   CREATE TABLE memberships (user_name VARCHAR NOT NULL, workspace VARCHAR NOT NULL, role VARCHAR NOT NULL, PRIMARY KEY (user_name, workspace));
   CREATE TABLE sessions (session_hash VARCHAR PRIMARY KEY, user_name VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL, expires_at TIMESTAMP NOT NULL);
   CREATE TABLE api_tokens (token_id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, workspace VARCHAR NOT NULL, role VARCHAR NOT NULL,
     token_hash VARCHAR NOT NULL UNIQUE, created_at TIMESTAMP NOT NULL);
   CREATE TABLE registry_audit (logged_at TIMESTAMP NOT NULL, actor VARCHAR NOT NULL, action VARCHAR NOT NULL, workspace VARCHAR, detail VARCHAR);
   CREATE TABLE registry_state (key VARCHAR PRIMARY KEY, value VARCHAR);`
];

async function migrateRegistry(conn: DuckDBConnection): Promise<void> {
  await conn.run(`CREATE TABLE IF NOT EXISTS registry_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMP)`);
  const applied = new Set((await queryRows<{ version: number }>(conn, `SELECT version FROM registry_migrations`)).map((r) => r.version));
  for (const [i, sql] of REGISTRY_MIGRATIONS.entries()) {
    if (applied.has(i + 1)) continue;
    await conn.run('BEGIN TRANSACTION');
    try {
      await conn.run(sql);
      await conn.run(`INSERT INTO registry_migrations VALUES ($v, now()::TIMESTAMP)`, { v: i + 1 });
      await conn.run('COMMIT');
    } catch (err) {
      await conn.run('ROLLBACK');
      throw err;
    }
  }
  await conn.run('CHECKPOINT');
}

export interface StartOptions {
  /**
   * Load the demo company into its own workspace unless it has been loaded before (the
   * server asks; PIPELENS_DEMO=off says no). Once deleted, the demo stays deleted.
   */
  demo?: boolean;
}

export interface Workspaces {
  readonly locations: DataLocations;
  /** Creates the default workspace, and the demo's when asked and never loaded; returns how many demo snapshots it loaded. */
  start(opts?: StartOptions): Promise<{ demoSnapshots: number }>;
  list(): Promise<WorkspaceInfo[]>;
  /** The workspaces a principal has a role in (a server admin: all). */
  visibleTo(principal: auth.Principal): Promise<WorkspaceInfo[]>;
  info(slug: string): Promise<WorkspaceInfo>;
  /** The workspace's engine; NotFoundError for a slug that is none. */
  open(slug: string): Promise<Workspace>;
  create(name: string, opts?: { demo?: boolean; slug?: string }, actor?: string): Promise<WorkspaceInfo>;
  rename(slug: string, name: string, actor?: string): Promise<WorkspaceInfo>;
  /** Deletes the workspace's folder with everything in it; the default workspace cannot be deleted. */
  delete(slug: string, actor?: string): Promise<void>;
  /** Records what changed the registry (workspaces, users, tokens) in its audit log. */
  audit(actor: string, action: string, workspace: string | null, detail?: string | null): Promise<void>;
  /** Rebuilds a workspace from a backup folder into a database that does not exist yet (registering the slug when new). */
  restore(slug: string, dir: string, actor?: string): Promise<BackupManifest>;
  /** Which workspace's latest snapshot came from this org or mapping (besides `except`; only those `visible` says the asker may see). */
  ownerOf(source: UploadSource, except: string, visible?: (slug: string) => boolean): Promise<string | null>;
  auth: {
    authenticate(credentials: auth.Credentials): Promise<auth.Principal | null>;
    /**
     * A session for a correct name and password, else null (the failure recorded in the
     * registry's audit log). After SIGN_IN_LIMIT failures within SIGN_IN_WINDOW_MINUTES for
     * the name or for the client (an address), TooManyAttemptsError without trying.
     */
    signIn(name: string, password: string, client?: string): Promise<{ session: string; principal: auth.Principal } | null>;
    signOut(session: string): Promise<void>;
    /** Adds or replaces a user (a replaced user's sessions end). */
    addUser(name: string, password: string, opts?: { serverAdmin?: boolean }): Promise<void>;
    /** Changes a user's password (their sessions end) or server admin flag; NotFoundError for no such user. */
    updateUser(name: string, change: { password?: string; serverAdmin?: boolean }): Promise<void>;
    /** Removes a user, their sessions and their roles; false when there was none. */
    removeUser(name: string): Promise<boolean>;
    users(): Promise<auth.UserInfo[]>;
    grant(user: string, workspace: string, role: auth.Role | null): Promise<void>;
    createToken(name: string, workspace: string, role: string): Promise<string>;
    tokens(): Promise<auth.TokenInfo[]>;
    revokeToken(tokenId: string): Promise<boolean>;
  };
  close(): Promise<void>;
}

const registries = new Map<string, Promise<Workspaces>>();
const RETIRED = '.deleted-';
/** the data directory's folder of uploads staged for DuckDB to read (db.ts stagingDir) */
const STAGING = '.staging';
const RETIRE_AFTER_MS = 5_000;

/** The registry of a data directory, one per process (a second call returns the same). */
export function openWorkspaces(locations: DataLocations): Promise<Workspaces> {
  const key = resolve(locations.registry);
  let registry = registries.get(key);
  if (!registry) {
    registry = createRegistry(locations, key);
    registries.set(key, registry);
    registry.catch(() => registries.delete(key));
  }
  return registry;
}

async function createRegistry(locations: DataLocations, key: string): Promise<Workspaces> {
  const db = await openDatabase(locations.registry, migrateRegistry, { memoryLimit: locations.memoryLimit });
  const opened = new Map<string, Promise<Workspace>>();
  /** deleted workspaces' folders waiting to be removed */
  const retiring = new Set<() => void>();
  /** slugs being deleted: opening them answers not found */
  const deleting = new Set<string>();
  // creations, renames and deletions one at a time: a slug or name is checked and taken in one step
  let changes: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = changes.then(fn);
    changes = run.catch(() => undefined);
    return run;
  };

  // Every page asks for the list; this process alone writes the registry (DuckDB locks the
  // file), so the list is kept until it changes it.
  let listed: Promise<WorkspaceInfo[]> | null = null;
  const rows = () =>
    (listed ??= db.query<WorkspaceInfo>(
      `SELECT slug, name, demo, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') AS created_at FROM workspaces ORDER BY demo, slug = 'default' DESC, lower(name), slug`
    ));
  const changed = () => (listed = null);
  const find = async (slug: string) => (deleting.has(slug) ? null : ((await rows()).find((w) => w.slug === slug) ?? null));
  const state = async (k: string) => (await db.query<{ value: string }>(`SELECT value FROM registry_state WHERE key = $k`, { k }))[0]?.value ?? null;
  const setState = (k: string, value: string) =>
    db.transaction(async (conn) => {
      await conn.run(`DELETE FROM registry_state WHERE key = $k`, { k });
      await conn.run(`INSERT INTO registry_state VALUES ($k, $value)`, { k, value });
    });
  const logRegistry = (actor: string, action: string, workspace: string | null, detail: string | null = null) =>
    db.transaction((conn) => conn.run(`INSERT INTO registry_audit VALUES (now()::TIMESTAMP, $actor, $action, $workspace, $detail)`, { actor, action, workspace, detail }));
  const signInThrottle = createThrottle({ limit: auth.SIGN_IN_LIMIT, windowMs: auth.SIGN_IN_WINDOW_MINUTES * 60_000 });
  const nameTaken = async (name: string, except?: string) => (await rows()).some((w) => w.slug !== except && w.name.toLowerCase() === name.toLowerCase());

  const registry: Workspaces = {
    locations,
    async start({ demo = false } = {}) {
      await claimDataDirectory();
      sweepRetired();
      await sweepStaging();
      if (!(await find(DEFAULT_WORKSPACE))) await insert(DEFAULT_WORKSPACE, 'Default workspace', false);
      // recorded once done, so an adoption that failed (the old database locked) is tried again
      if (!(await state('legacy_adopted'))) {
        await adoptLegacyAccess(db, locations.defaults.db);
        await setState('legacy_adopted', new Date().toISOString());
      }
      if (!demo || (await state('demo_loaded'))) return { demoSnapshots: 0 };
      // a demo workspace without the mark is a load that did not finish: load it afresh
      if (await find(DEMO_WORKSPACE)) await registry.delete(DEMO_WORKSPACE, 'demo loader');
      await insert(DEMO_WORKSPACE, 'Demo company (fictional)', true);
      try {
        const demoSnapshots = await loadDemo(await registry.open(DEMO_WORKSPACE));
        await setState('demo_loaded', new Date().toISOString());
        return { demoSnapshots };
      } catch (err) {
        await registry.delete(DEMO_WORKSPACE, 'demo loader');
        throw err;
      }
    },
    list: rows,
    async visibleTo(principal) {
      return (await rows()).filter((w) => auth.actorIn(principal, w.slug));
    },
    async info(slug) {
      const info = await find(slug);
      if (!info) throw new NotFoundError(`workspace ${slug}`);
      return info;
    },
    open(slug) {
      if (deleting.has(slug)) return Promise.reject(new NotFoundError(`workspace ${slug}`));
      let ws = opened.get(slug);
      if (!ws) {
        ws = registry.info(slug).then(() =>
          openWorkspace(workspaceFiles(locations, slug), {
            slug,
            memoryLimit: locations.memoryLimit,
            stagingDir: join(locations.dataDir, STAGING),
            ownerOf: (source, visible) => registry.ownerOf(source, slug, visible)
          })
        );
        opened.set(slug, ws);
        ws.catch(() => opened.delete(slug));
      }
      return ws;
    },
    create: (name, opts = {}, actor = 'system') =>
      oneAtATime(async () => {
        const checked = checkName(name);
        if (await nameTaken(checked)) throw new ConflictError(`a workspace is named ${JSON.stringify(checked)}`);
        let slug = opts.slug ?? slugify(checked);
        if (!SLUG.test(slug)) throw new BadParameterError('slug', 'lower case letters, digits and dashes, at most 40');
        if (opts.slug && (await find(slug))) throw new ConflictError(`a workspace ${slug} exists`);
        for (let n = 2; (await find(slug)) || deleting.has(slug); n++) slug = `${slugify(checked).slice(0, 36)}-${n}`;
        if (existsSync(dirname(workspaceFiles(locations, slug).db))) {
          throw new ConflictError(`the folder of workspace ${slug} exists but is not registered: move it away first`);
        }
        await insert(slug, checked, opts.demo ?? false);
        await logRegistry(actor, 'create workspace', slug, checked);
        return registry.info(slug);
      }),
    rename: (slug, name, actor = 'system') =>
      oneAtATime(async () => {
        const checked = checkName(name);
        await registry.info(slug);
        if (await nameTaken(checked, slug)) throw new ConflictError(`a workspace is named ${JSON.stringify(checked)}`);
        await db.transaction((conn) => conn.run(`UPDATE workspaces SET name = $name WHERE slug = $slug`, { slug, name: checked })).finally(changed);
        await logRegistry(actor, 'rename workspace', slug, checked);
        return registry.info(slug);
      }),
    delete: (slug, actor = 'system') =>
      oneAtATime(async () => {
        if (slug === DEFAULT_WORKSPACE) throw new ConflictError('the default workspace answers the addresses without /w/<slug>: delete its snapshots instead');
        await registry.info(slug);
        deleting.add(slug);
        try {
          const ws = opened.get(slug);
          opened.delete(slug);
          await db
            .transaction(async (conn) => {
              await conn.run(`DELETE FROM workspaces WHERE slug = $slug`, { slug });
              await conn.run(`DELETE FROM memberships WHERE workspace = $slug`, { slug });
              await conn.run(`DELETE FROM api_tokens WHERE workspace = $slug`, { slug });
            })
            .finally(changed);
          await retire(dirname(workspaceFiles(locations, slug).db), (await ws?.catch(() => null)) ?? null);
          await logRegistry(actor, 'delete workspace', slug);
        } finally {
          deleting.delete(slug);
        }
      }),
    async audit(actor, action, workspace, detail = null) {
      await logRegistry(actor, action, workspace, detail);
    },
    async restore(slug, dir, actor = 'system') {
      if (opened.has(slug)) throw new ConflictError(`workspace ${slug} is open: restore into a new one`);
      const created = !(await find(slug));
      if (created) await registry.create(slug, { slug }, actor);
      try {
        return await restore(dir, workspaceFiles(locations, slug).db);
      } catch (err) {
        if (created) await registry.delete(slug, actor);
        throw err;
      }
    },
    async ownerOf(source, except, visible = () => true) {
      if (!source.key) return null; // only a real org or mapping says whose data it is
      for (const w of await rows()) {
        if (w.slug === except || !visible(w.slug) || !existsSync(workspaceFiles(locations, w.slug).db)) continue;
        const latest = await (await registry.open(w.slug)).latestSource();
        if (latest && latest.crm === source.crm && latest.key === source.key) return w.slug;
      }
      return null;
    },
    auth: {
      authenticate: (credentials) => auth.authenticate(db, credentials),
      async signIn(name, password, client) {
        const account = `user:${name}`;
        const keys = client ? [account, `client:${client}`] : [account];
        const wait = signInThrottle.wait(keys);
        if (wait > 0) throw new TooManyAttemptsError(wait);
        const mark = signInThrottle.attempt(keys);
        const signed = await auth.signIn(db, name, password);
        if (!signed) {
          await logRegistry(name.slice(0, 64), 'sign in failed', null, client ? `from ${client}` : null);
          return null;
        }
        signInThrottle.reset(account);
        if (client) signInThrottle.forgive(`client:${client}`, mark);
        // recorded where the person's admins look: the registry, and every workspace they have a role in.
        // Not awaited: a workspace's writes queue behind its uploads, and a sign-in must not wait for one.
        await logRegistry(name, 'sign in', null);
        for (const slug of Object.keys(signed.principal.roles)) {
          if (await find(slug)) void registry.open(slug).then((ws) => ws.audit(name, 'sign in')).catch(() => undefined);
        }
        return signed;
      },
      signOut: (session) => auth.signOut(db, session),
      addUser: (name, password, opts) => auth.addUser(db, name, password, opts),
      updateUser: (name, change) => auth.updateUser(db, name, change),
      removeUser: (name) => auth.removeUser(db, name),
      users: () => auth.listUsers(db),
      tokens: () => auth.listTokens(db),
      async grant(user, workspace, role) {
        await registry.info(workspace);
        await auth.grantRole(db, user, workspace, role);
      },
      async createToken(name, workspace, role) {
        await registry.info(workspace);
        return auth.createToken(db, name, workspace, role);
      },
      revokeToken: (id) => auth.revokeToken(db, id)
    },
    async close() {
      for (const finish of [...retiring]) finish();
      for (const ws of opened.values()) (await ws.catch(() => null))?.close();
      opened.clear();
      db.close();
      registries.delete(key);
    }
  };

  /**
   * Takes a deleted workspace's folder out of the way at once (a new workspace may take its
   * slug), then closes its database once the requests already running on it have had time
   * to finish, and removes the folder; closing the registry finishes at once.
   */
  async function retire(folder: string, ws: Workspace | null): Promise<void> {
    if (ws) forgetDatabase(ws.files.db);
    if (!existsSync(folder)) return ws?.close();
    const away = join(dirname(folder), `${RETIRED}${basename(folder)}-${Date.now()}`);
    renameSync(folder, away);
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      retiring.delete(finish);
      clearTimeout(timer);
      ws?.close();
      rmSync(away, { recursive: true, force: true });
    };
    retiring.add(finish);
    await ws?.idle();
    if (!retiring.has(finish)) return; // the registry closed meanwhile
    timer = setTimeout(finish, ws ? RETIRE_AFTER_MS : 0);
    timer.unref();
  }

  /** Folders of workspaces deleted by a process that stopped before removing them. */
  function sweepRetired() {
    const root = join(locations.dataDir, 'workspaces');
    if (!existsSync(root)) return;
    for (const name of readdirSync(root)) if (name.startsWith(RETIRED)) rmSync(join(root, name), { recursive: true, force: true });
  }

  /**
   * What a process stopped mid-upload (killed, out of memory) left: the uploads it staged in
   * .staging, and DuckDB's spill files beside each database (`<file>.tmp`, which DuckDB reuses
   * only when it next spills). Only what is older than this process goes; one process serves
   * a data directory at a time (DuckDB locks the registry).
   */
  async function sweepStaging() {
    const staging = join(locations.dataDir, STAGING);
    const databases = [locations.registry, locations.defaults.db, ...(await rows()).map((w) => workspaceFiles(locations, w.slug).db)];
    const leftovers = [...(existsSync(staging) ? readdirSync(staging).map((name) => join(staging, name)) : []), ...databases.map((db) => `${db}.tmp`)];
    for (const path of leftovers) {
      if (existsSync(path) && statSync(path).mtimeMs < performance.timeOrigin) rmSync(path, { recursive: true, force: true });
    }
  }

  async function insert(slug: string, name: string, demo: boolean) {
    if (slug !== DEFAULT_WORKSPACE) mkdirSync(dirname(workspaceFiles(locations, slug).db), { recursive: true });
    await db.transaction((conn) => conn.run(`INSERT INTO workspaces VALUES ($slug, $name, $demo, now()::TIMESTAMP)`, { slug, name, demo })).finally(changed);
  }

  /**
   * A data directory belongs to one default database: two `--db` files in one folder would
   * otherwise share the registry, and the people and workspaces of one would reach the other.
   */
  async function claimDataDirectory() {
    const mine = relative(resolve(locations.dataDir), resolve(locations.defaults.db));
    const claimed = await state('default_db');
    if (claimed === null) await setState('default_db', mine);
    else if (claimed !== mine) {
      throw new ConflictError(
        `the data directory ${locations.dataDir} belongs to the default database ${claimed}; give ${locations.defaults.db} a data directory of its own (--data, PIPELENS_DATA)`
      );
    }
  }
  return registry;
}

/**
 * A database of the single-workspace version kept its users, sessions and tokens itself:
 * they move to the registry, every user keeping their role in the default workspace (its
 * admins become server admins) and every token scoped to it.
 */
async function adoptLegacyAccess(registry: Database, legacyPath: string): Promise<void> {
  if (!existsSync(legacyPath)) return;
  const legacy = await openDatabase(legacyPath);
  try {
    await copyLegacyAccess(registry, legacy);
  } finally {
    legacy.close();
  }
}

async function copyLegacyAccess(registry: Database, legacy: Database): Promise<void> {
  const users = await legacy.query<{ name: string; role: string; password_hash: string }>(`SELECT name, role, password_hash FROM users`);
  const sessions = await legacy.query<{ session_hash: string; user_name: string; created_at: string; expires_at: string }>(
    `SELECT session_hash, user_name, created_at::VARCHAR AS created_at, expires_at::VARCHAR AS expires_at FROM sessions`
  );
  const tokens = await legacy.query<{ token_id: string; name: string; role: string; token_hash: string; created_at: string }>(
    `SELECT token_id, name, role, token_hash, created_at::VARCHAR AS created_at FROM api_tokens`
  );
  await registry.transaction(async (conn) => {
    for (const u of users) {
      await conn.run(`INSERT OR REPLACE INTO users VALUES ($name, $hash, $admin, now()::TIMESTAMP)`, { name: u.name, hash: u.password_hash, admin: u.role === 'admin' });
      await conn.run(`INSERT OR REPLACE INTO memberships VALUES ($name, 'default', $role)`, { name: u.name, role: u.role });
    }
    for (const s of sessions) await conn.run(`INSERT OR REPLACE INTO sessions VALUES ($h, $u, $c::TIMESTAMP, $e::TIMESTAMP)`, { h: s.session_hash, u: s.user_name, c: s.created_at, e: s.expires_at });
    for (const t of tokens) {
      await conn.run(`DELETE FROM api_tokens WHERE token_id = $id OR token_hash = $hash`, { id: t.token_id, hash: t.token_hash });
      await conn.run(`INSERT INTO api_tokens VALUES ($id, $name, 'default', $role, $hash, $c::TIMESTAMP)`, { id: t.token_id, name: t.name, role: t.role, hash: t.token_hash, c: t.created_at });
    }
  });
}

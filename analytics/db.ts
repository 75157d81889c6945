import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { EngineError, StorageFullError } from './errors';
import { migrate } from './storage/schema';

export type Params = Record<string, DuckDBValue>;
export type Row = Record<string, unknown>;

/** One DuckDB file (or `:memory:`), migrated to the current schema on open. */
export interface Database {
  readonly path: string;
  /** Goes up after every write (exclusive or transaction), so cached answers know they are stale. */
  readonly version: number;
  withConnection<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` on a connection no other writer uses meanwhile (writes queue). When `signal`
   * aborts, `fn` does not start, or the query it runs is interrupted (DuckDB stops it and
   * the transaction rolls back); `fn` checks the signal between queries itself.
   */
  exclusive<T>(fn: (conn: DuckDBConnection) => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Runs `fn` in one transaction: all of it is committed, or none of it. */
  transaction<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T>;
  query<T = Row>(sql: string, params?: Params): Promise<T[]>;
  close(): void;
}

export interface DatabaseOptions {
  memoryLimit?: string;
  /** where files are staged for DuckDB to read (stagingDir); default `.staging` beside the file, or the system's temporary folder */
  stagingDir?: string;
}

/** Open databases by path; `token` tells an entry from a later one of the same path. */
const opened = new Map<string, { token: object; db: Promise<Database> }>();

type Migrate = (conn: DuckDBConnection) => Promise<unknown>;

/**
 * One instance per path per process; a second call returns the same database. A
 * workspace's database is migrated to the workspace schema; the server's registry
 * passes its own migrations.
 */
export function openDatabase(path: string, migrations: Migrate = migrate, opts: DatabaseOptions = {}): Promise<Database> {
  if (path === ':memory:') return createDatabase(path, migrations, {}, opts);
  let entry = opened.get(path);
  if (!entry) {
    const token = {};
    entry = { token, db: createDatabase(path, migrations, token, opts) };
    opened.set(path, entry);
    entry.db.catch(() => forget(path, token));
  }
  return entry.db;
}

/**
 * The next openDatabase of this path makes a new instance, while whoever holds this one
 * may still finish with it (a deleted workspace's folder was moved away; a new workspace
 * may take its place).
 */
export function forgetDatabase(path: string): void {
  opened.delete(path);
}

function forget(path: string, token: object): void {
  if (opened.get(path)?.token === token) opened.delete(path);
}

const stagingDirs = new WeakMap<DuckDBConnection, string>();
const systemStaging = () => join(tmpdir(), 'pipelens-staging');

/**
 * The folder where files a connection's DuckDB reads are staged (uploads, for read_csv): the
 * data directory's `.staging`, so that what a killed process left there is found and removed
 * at the next start (workspaces.ts), never the system's temporary folder of a server.
 */
export function stagingDir(conn: DuckDBConnection): string {
  return stagingDirs.get(conn) ?? systemStaging();
}

async function createDatabase(path: string, migrations: Migrate, token: object, opts: DatabaseOptions): Promise<Database> {
  const staging = opts.stagingDir ?? (path === ':memory:' ? systemStaging() : join(dirname(path), '.staging'));
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  // DuckDB would take 80% of the machine's memory; larger sorts and joins spill to disk instead.
  // Perfect-hash aggregates are off: a read during a concurrent upload once failed with
  // "Perfect hash aggregate: aggregate group … exceeded total groups" (column statistics
  // seen mid-append); ordinary hash aggregates do not rely on them.
  const instance = await DuckDBInstance.create(path, {
    memory_limit: opts.memoryLimit ?? '1GB',
    perfect_ht_threshold: '0'
  });
  // DuckDB runs one write transaction per connection; serialize ours so that
  // concurrent uploads queue instead of failing on a write-write conflict.
  let writeQueue: Promise<unknown> = Promise.resolve();
  let version = 0;

  async function withConnection<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    const conn = await instance.connect();
    stagingDirs.set(conn, staging);
    try {
      return await fn(conn);
    } catch (err) {
      throw storageError(err);
    } finally {
      conn.closeSync();
    }
  }

  function exclusive<T>(fn: (conn: DuckDBConnection) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const interruptible = (conn: DuckDBConnection) => {
      const interrupt = () => conn.interrupt();
      signal!.addEventListener('abort', interrupt);
      return fn(conn).finally(() => signal!.removeEventListener('abort', interrupt));
    };
    const run = writeQueue
      .then(() => {
        signal?.throwIfAborted();
        return withConnection(signal ? interruptible : fn);
      })
      .finally(() => version++);
    writeQueue = run.catch(() => undefined);
    return run;
  }

  const db: Database = {
    path,
    get version() {
      return version;
    },
    withConnection,
    exclusive,
    transaction: (fn) => exclusive((conn) => inTransaction(conn, fn)),
    query: <T = Row>(sql: string, params?: Params) => withConnection((conn) => queryRows<T>(conn, sql, params)),
    close() {
      instance.closeSync();
      forget(path, token);
    }
  };
  await withConnection((conn) => migrations(conn));
  return db;
}

export async function queryRows<T = Row>(conn: DuckDBConnection, sql: string, params?: Params): Promise<T[]> {
  const reader = await conn.runAndReadAll(sql, params);
  return reader.getRowObjectsJS() as T[];
}

export async function inTransaction<T>(conn: DuckDBConnection, fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  await conn.run('BEGIN TRANSACTION');
  try {
    const result = await fn(conn);
    await conn.run('COMMIT');
    return result;
  } catch (err) {
    // A failed write (a full disk) may have ended the transaction already, and ROLLBACK then
    // fails with "no transaction is active": the first error is the one to report.
    await conn.run('ROLLBACK').catch(() => undefined);
    throw storageError(err);
  }
}

/** DuckDB's (and Node's) words for a disk that is full or refuses writes. */
const DISK_FULL = /No space left on device|Could not write|ENOSPC|disk is full/i;

/** A disk-full or write error as a StorageFullError (the edge answers 507); any other error as it is. */
export function storageError(err: unknown): unknown {
  return err instanceof Error && !(err instanceof EngineError) && DISK_FULL.test(err.message) ? new StorageFullError(err) : err;
}

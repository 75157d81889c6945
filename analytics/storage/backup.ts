import { DuckDBInstance } from '@duckdb/node-api';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { queryRows, type Database } from '../db';
import { BadParameterError } from '../errors';
import { migrate, SCHEMA_VERSION } from './schema';

/**
 * A backup is one Parquet file per table plus manifest.json (schema version, row counts).
 * Restore builds a new database at the backup's schema version, loads the files, checks
 * the counts, then migrates to the current version, so older backups restore too.
 * Left out: stage_overrides (it mirrors the settings file and is rebuilt on open) and
 * sessions (people sign in again after a restore).
 */
export interface BackupManifest {
  format: 'pipelens-backup';
  schema_version: number;
  created_at: string;
  snapshots: number[];
  tables: Record<string, number>;
}

const SKIPPED = new Set(['schema_migrations', 'stage_overrides', 'sessions']);
const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;
const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

export async function backup(db: Database, dir: string): Promise<BackupManifest> {
  if (existsSync(dir) && readdirSync(dir).length) throw new BadParameterError('DIR', `${dir} is not empty`);
  mkdirSync(dir, { recursive: true });
  const manifest = await db.exclusive(async (conn) => {
    const tables = (await queryRows<{ name: string }>(conn, `SELECT table_name AS name FROM duckdb_tables() WHERE NOT temporary ORDER BY table_name`))
      .map((t) => t.name)
      .filter((t) => !SKIPPED.has(t));
    const counts: Record<string, number> = {};
    await conn.run('BEGIN TRANSACTION'); // one consistent view of every table
    try {
      for (const table of tables) {
        await conn.run(`COPY (SELECT * FROM ${ident(table)}) TO ${sqlString(join(dir, `${table}.parquet`))} (FORMAT PARQUET)`);
        const [row] = await queryRows<{ n: number }>(conn, `SELECT count(*)::INTEGER AS n FROM ${ident(table)}`);
        counts[table] = row.n;
      }
      const [version] = await queryRows<{ v: number }>(conn, `SELECT max(version)::INTEGER AS v FROM schema_migrations`);
      const snapshots = (await queryRows<{ id: number }>(conn, `SELECT snapshot_id AS id FROM snapshots ORDER BY snapshot_id`)).map((r) => r.id);
      return { format: 'pipelens-backup', schema_version: version.v, created_at: new Date().toISOString(), snapshots, tables: counts } as BackupManifest;
    } finally {
      await conn.run('COMMIT');
    }
  });
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

/** Rebuilds a database from a backup into a new file; refuses a file that exists. */
export async function restore(dir: string, dbPath: string): Promise<BackupManifest> {
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) throw new BadParameterError('DIR', `${dir} has no manifest.json: not a Pipelens backup`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as BackupManifest;
  if (manifest.format !== 'pipelens-backup') throw new BadParameterError('DIR', `${dir} is not a Pipelens backup`);
  if (manifest.schema_version > SCHEMA_VERSION) {
    throw new BadParameterError('DIR', `backup of schema ${manifest.schema_version}, newer than this Pipelens (${SCHEMA_VERSION})`);
  }
  if (existsSync(dbPath)) throw new BadParameterError('db', `${dbPath} exists: restore into a new file`);
  const instance = await DuckDBInstance.create(dbPath);
  const conn = await instance.connect();
  try {
    await migrate(conn, manifest.schema_version);
    await conn.run('BEGIN TRANSACTION');
    for (const [table, rows] of Object.entries(manifest.tables)) {
      await conn.run(`INSERT INTO ${ident(table)} SELECT * FROM read_parquet(${sqlString(join(dir, `${table}.parquet`))})`);
      const [row] = await queryRows<{ n: number }>(conn, `SELECT count(*)::INTEGER AS n FROM ${ident(table)}`);
      if (row.n !== rows) throw new BadParameterError('DIR', `table ${table}: ${row.n} rows restored, ${rows} in the manifest`);
    }
    // the id sequence continues after the restored snapshots (DuckDB may already have advanced it while inserting)
    const [{ last }] = await queryRows<{ last: number }>(conn, `SELECT coalesce(max(snapshot_id), 0)::INTEGER AS last FROM snapshots`);
    for (let id = 0; id < last; ) [{ id }] = await queryRows<{ id: number }>(conn, `SELECT nextval('snapshot_id_seq')::INTEGER AS id`);
    await conn.run('COMMIT');
    await migrate(conn);
  } catch (err) {
    conn.closeSync();
    instance.closeSync();
    rmSync(dbPath, { force: true });
    rmSync(`${dbPath}.wal`, { force: true });
    throw err;
  }
  conn.closeSync();
  instance.closeSync();
  return manifest;
}

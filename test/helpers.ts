import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openDatabase, type Database } from '../analytics/db';
import { ingest, type IngestOptions } from '../analytics/ingest/ingest';
import { readInputPaths } from '../analytics/ingest/inputs';
import { DEFAULT_SETTINGS, type Settings } from '../analytics/settings';
import { dataLocations, openWorkspaces } from '../analytics';
import { createApi } from '../app/lib/server/api';

/** Real public CRM exports, copied as they are with their provenance and licences (test/fixtures/public/README.md). */
export const SHARED_DATA = resolve(process.cwd(), 'test/fixtures/public');
export const FIXTURES = resolve(process.cwd(), 'test/fixtures');

export const memoryDb = () => openDatabase(':memory:');

/** A database file in a fresh temporary folder (DuckDB on disk, as in production). */
export async function diskDb(): Promise<{ db: Database; dir: string; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'pipelens-test-'));
  const db = await openDatabase(join(dir, 'test.duckdb'));
  return {
    db,
    dir,
    cleanup: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

export async function ingestPaths(db: Database, paths: string[], opts: IngestOptions = {}) {
  return ingest(db, readInputPaths(paths), { settings: DEFAULT_SETTINGS, ...opts });
}

/** An upload file from a header and its rows. */
export function csvFile(name: string, header: string, rows: string[]): { name: string; bytes: Uint8Array<ArrayBuffer> } {
  return { name, bytes: new TextEncoder().encode([header, ...rows].join('\n') + '\n') as Uint8Array<ArrayBuffer> };
}

/** Every row of every table, ordered, as one string: equal strings mean equal databases. */
export async function dumpTables(db: Database, skip: string[] = []): Promise<string> {
  const tables = (await db.query<{ name: string }>(
    `SELECT table_name AS name FROM duckdb_tables() WHERE NOT temporary ORDER BY table_name`
  )).filter((t) => !skip.includes(t.name));
  const out: Record<string, unknown[]> = {};
  for (const { name } of tables) {
    out[name] = await db.query(`SELECT * FROM "${name}" ORDER BY ALL`);
  }
  const seq = await db.query(`SELECT sequence_name, last_value FROM duckdb_sequences()`);
  return JSON.stringify({ out, seq }, (_, v) => (typeof v === 'bigint' ? v.toString() : v));
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'pipelens-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A large, plain Opportunity.csv: `deals` open Prospecting deals with ids prefix0, prefix1, … */
export function syntheticOpportunities(deals: number, idPrefix: string, closeDate = '2026-09-30'): Uint8Array<ArrayBuffer> {
  const lines = ['"Id","StageName","Amount","CloseDate","CreatedDate","LeadSource"'];
  for (let i = 0; i < deals; i++) lines.push(`"${idPrefix}${i}","Prospecting","${1000 + (i % 97)}","${closeDate}","2026-01-01 10:00:00","Web"`);
  return new TextEncoder().encode(lines.join('\n') + '\n') as Uint8Array<ArrayBuffer>;
}

/** Header and rows of a small CSV without quoted commas or line breaks inside quotes. */
export function splitCsv(path: string): { header: string[]; rows: string[][] } {
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');
  const cells = (l: string) => l.match(/("[^"]*"|[^,]*)(,|$)/g)!.slice(0, -1).map((c) => c.replace(/,$/, '').replace(/^"(.*)"$/, '$1'));
  const [header, ...rows] = lines.map(cells);
  return { header, rows };
}

/**
 * A fresh data directory with its registry started (the default workspace only), its
 * settings file written when given, and the HTTP API over it. Nothing of the process
 * environment (PIPELENS_*) reaches it.
 */
export async function tempWorkspaces(opts: { settings?: Partial<Settings>; authRequired?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'pipelens-test-'));
  if (opts.settings) writeFileSync(join(dir, 'settings.json'), JSON.stringify(opts.settings));
  const registry = await openWorkspaces(dataLocations({ data: dir }, {}));
  await registry.start();
  const api = createApi({ workspaces: async () => registry, authRequired: () => opts.authRequired ?? false });
  return {
    dir,
    registry,
    api,
    /** the default workspace's database, for dumps and checks of what is stored */
    defaultDb: () => openDatabase(registry.locations.defaults.db),
    cleanup: async () => {
      await registry.close();
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

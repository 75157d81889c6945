import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
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

export interface ZipEntrySpec {
  name: string;
  data: Uint8Array;
  /** stored as it is (method 0) rather than deflated */
  stored?: boolean;
  /** what the headers declare, when it is not the truth */
  crc?: number;
  size?: number;
}

/**
 * A ZIP written byte by byte (APPNOTE 4.3: local headers, central directory, end record),
 * its headers declaring the CRC-32 and size given, to build damaged or altered archives.
 */
export function zipBytes(entries: ZipEntrySpec[]): Uint8Array<ArrayBuffer> {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const body = e.stored ? Buffer.from(e.data) : deflateRawSync(e.data);
    const [method, crc, size] = [e.stored ? 0 : 8, e.crc ?? crc32(e.data), e.size ?? e.data.length];
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4); // version made by
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(method, 10);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(body.length, 20);
    header.writeUInt32LE(size, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(offset, 42);
    parts.push(local, name, body);
    central.push(header, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...parts, directory, end]));
}

import type { DuckDBConnection } from '@duckdb/node-api';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Problem } from '../errors';
import { queryRows, stagingDir } from '../db';
import { KIND_LABEL, mapHeader, parseExpression, type FieldSpec, type ObjectSpec } from './fields';
import { isRanged, outOfRangeSql, RANGE_REASON } from '../value-range';
import { MAX_RECORD_BYTES, type CsvScan } from './csv-scan';

export interface StagedFile {
  table: string;
  rows: number;
  /** Fields the file has (others are staged as NULL). */
  present: Set<string>;
  problems: Problem[];
}

/**
 * Loads one scanned CSV into the temporary table `table`, one typed column per field
 * of `spec` plus `rec` (record number, 1-based) and `line` (physical line), and lists
 * every value that does not parse or lies outside the accepted range (value-range.ts).
 * DuckDB reads the UTF-8 bytes; column names in the SQL are positions (c0, c1…) and
 * names from `spec`, never the file's own headers.
 */
export async function stageCsv(
  conn: DuckDBConnection,
  file: { name: string; bytes: Uint8Array; scan: CsvScan },
  spec: ObjectSpec,
  table: string,
  maxProblems = 100
): Promise<StagedFile> {
  const { name, bytes, scan } = file;
  const positions = mapHeader(scan.header, spec);
  const present = new Set([...positions].filter(([, i]) => i >= 0).map(([f]) => f));
  const problems: Problem[] = spec.fields
    .filter((f) => f.required && !present.has(f.name))
    .map((f) => ({ file: name, line: 1, column: f.name, reason: 'missing required column' }));
  if (problems.length) return { table, rows: 0, present, problems };

  await loadRawCsv(conn, { bytes, scan }, table);

  const selects = spec.fields.map((f) => {
    const i = positions.get(f.name)!;
    const raw = i >= 0 ? `nullif(trim(c${i}), '')` : 'NULL::VARCHAR';
    const typed = i >= 0 ? parseExpression(f.kind, raw) : castNull(f.kind);
    return isTyped(f.kind) ? `${typed} AS "${f.name}", ${raw} AS "${f.name}__raw"` : `${typed} AS "${f.name}"`;
  });
  await conn.run(`DROP TABLE IF EXISTS ${table}`);
  await conn.run(`CREATE TEMP TABLE ${table} AS SELECT rec, ${selects.join(', ')} FROM ${table}_raw`);
  await conn.run(`DROP TABLE ${table}_raw`);

  const [{ rows }] = await queryRows<{ rows: number }>(conn, `SELECT count(*)::INTEGER AS rows FROM ${table}`);
  if (rows !== scan.records) {
    throw new Error(`CSV reader disagreement on ${name}: ${rows} rows read, ${scan.records} scanned`);
  }

  const typedFields = spec.fields.filter((f) => isTyped(f.kind) && present.has(f.name));
  const requiredFields = spec.fields.filter((f) => f.required);
  // a value that does not parse, or parses to one no CRM produces (value-range.ts)
  const unreadable = (f: FieldSpec) => {
    const col = `"${f.name}"`;
    return isRanged(f.kind) ? `(${col} IS NULL OR ${outOfRangeSql(f.kind, col)})` : `${col} IS NULL`;
  };
  const checks = [
    ...typedFields.map(
      (f) => `SELECT rec, '${f.name}' AS field, "${f.name}__raw" AS raw, "${f.name}" IS NOT NULL AS parsed FROM ${table} WHERE "${f.name}__raw" IS NOT NULL AND ${unreadable(f)}`
    ),
    ...requiredFields.map(
      (f) => `SELECT rec, '${f.name}' AS field, NULL AS raw, false AS parsed FROM ${table} WHERE "${f.name}" IS NULL${isTyped(f.kind) ? ` AND "${f.name}__raw" IS NULL` : ''}`
    )
  ];
  if (checks.length) {
    const bad = await queryRows<{ rec: number; field: string; raw: string; parsed: boolean }>(
      conn,
      `SELECT * FROM (${checks.join(' UNION ALL ')}) ORDER BY rec, field LIMIT ${maxProblems}`
    );
    const kinds = new Map(spec.fields.map((f) => [f.name, f.kind]));
    for (const b of bad) {
      const kind = kinds.get(b.field)!;
      const value = b.raw == null ? '' : JSON.stringify(truncate(b.raw));
      problems.push({
        file: name,
        line: scan.recordLines[b.rec - 1],
        column: scan.header[positions.get(b.field)!],
        reason:
          b.raw == null ? 'empty value in a required column' : b.parsed && isRanged(kind) ? `out of range, not ${RANGE_REASON[kind]}: ${value}` : `not a ${KIND_LABEL[kind]}: ${value}`
      });
    }
  }
  return { table, rows, present, problems };
}

/**
 * The file as DuckDB reads it, every column VARCHAR and named by position (c0, c1…),
 * into the temporary table `${table}_raw` with `rec`, the record number.
 */
export async function loadRawCsv(conn: DuckDBConnection, file: { bytes: Uint8Array; scan: CsvScan }, table: string): Promise<void> {
  mkdirSync(stagingDir(conn), { recursive: true });
  const dir = mkdtempSync(join(stagingDir(conn), 'upload-'));
  try {
    const path = join(dir, 'file.csv');
    writeFileSync(path, file.bytes);
    const columns = file.scan.header.map((_, i) => `'c${i}': 'VARCHAR'`).join(', ');
    // records that leave out the header's trailing unnamed columns (csv-scan.ts); DuckDB pads them only reading serially
    const padding = file.scan.shortRecords ? ', null_padding = true, parallel = false' : '';
    await conn.run(`DROP TABLE IF EXISTS ${table}_raw`);
    await conn.run(
      `CREATE TEMP TABLE ${table}_raw AS
       SELECT row_number() OVER ()::INTEGER AS rec, *
       FROM read_csv($path, header = true, auto_detect = false, columns = {${columns}},
                     delim = ',', quote = '"', escape = '"', strict_mode = false, max_line_size = ${MAX_RECORD_BYTES}${padding})`,
      { path }
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function isTyped(kind: string): boolean {
  return kind !== 'text' && kind !== 'id';
}

function castNull(kind: string): string {
  const type = { timestamp: 'TIMESTAMP', date: 'DATE', number: 'DOUBLE', bool: 'BOOLEAN' }[kind] ?? 'VARCHAR';
  return `NULL::${type}`;
}

function truncate(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

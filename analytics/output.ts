import { tableFromArrays, tableToIPC } from 'apache-arrow';
import type { Row } from './db';
import type { QualityCheck } from './quality/checks';

/**
 * Rows out as CSV or Arrow. CSV cells that a spreadsheet would run as a formula
 * (=, +, -, @ first) are prefixed with a quote, so an exported deal name cannot run.
 */
export function toCsv(rows: Row[], columns: string[] = rows.length ? Object.keys(rows[0]) : []): string {
  const lines = [columns.map(csvCell).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvCell(row[c])).join(','));
  return lines.join('\r\n') + '\r\n';
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let s = value instanceof Date ? value.toISOString() : Array.isArray(value) ? value.join('; ') : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Arrow IPC stream; numbers become Float64, booleans Bool, everything else Utf8. */
export function toArrow(rows: Row[]): Uint8Array {
  const columns = rows.length ? Object.keys(rows[0]) : [];
  const arrays: Record<string, unknown[] | Float64Array> = {};
  for (const c of columns) {
    const values = rows.map((r) => r[c]);
    const kind = values.find((v) => v !== null && v !== undefined);
    if (typeof kind === 'number' && values.every((v) => v === null || typeof v === 'number')) {
      arrays[c] = values as (number | null)[];
    } else if (typeof kind === 'boolean') {
      arrays[c] = values as (boolean | null)[];
    } else {
      arrays[c] = values.map((v) => (v === null || v === undefined ? null : Array.isArray(v) ? v.join('; ') : typeof v === 'object' ? JSON.stringify(v) : String(v)));
    }
  }
  return tableToIPC(tableFromArrays(arrays as unknown as Record<string, Float64Array>), 'stream');
}

/** A snapshot's data-quality checks as CSV: one row per check, ids and figures space-separated. */
export function qualityToCsv(checks: QualityCheck[]): string {
  return toCsv(checks.map((k) => ({ ...k, examples: k.examples.join(' '), affects: k.affects.join(' ') })));
}

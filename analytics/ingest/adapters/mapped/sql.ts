import type { DuckDBValue } from '@duckdb/node-api';
import { listValue } from '@duckdb/node-api';
import type { Params } from '../../../db';
import { parseExpression } from '../../fields';
import type { Condition, Formats } from './format';

/**
 * SQL pieces for mapped files. Headers come from the user's file, so they are only
 * ever quoted identifiers; every value from the mapping (patterns, separators, rule
 * values) is a named parameter.
 */
export type ValueKind = 'text' | 'date' | 'timestamp' | 'number' | 'probability' | 'bool';

export const KIND_REASON: Record<ValueKind, string> = {
  text: 'text',
  date: 'date',
  timestamp: 'date/time',
  number: 'number',
  probability: 'probability',
  bool: 'TRUE/FALSE, yes/no or 1/0'
};

export class SqlParams {
  readonly params: Params = {};
  private n = 0;
  add(value: DuckDBValue): string {
    const key = `m${this.n++}`;
    this.params[key] = value;
    return `$${key}`;
  }
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The file's header a mapping names: the exact one, else the only one equal ignoring case and outer spaces. */
export function resolveHeader(headers: string[], name: string): string | null {
  if (headers.includes(name)) return name;
  const loose = headers.filter((h) => h.trim().toLowerCase() === name.trim().toLowerCase());
  return loose.length === 1 ? loose[0] : null;
}

export function rawValue(header: string): string {
  return `nullif(trim(${quoteIdent(header)}), '')`;
}

export function typedValue(kind: ValueKind, raw: string, formats: Formats, p: SqlParams): string {
  switch (kind) {
    case 'text':
      return raw;
    case 'bool':
      return parseExpression('bool', raw);
    case 'date':
      return `(${timestampValue(raw, formats, p)})::DATE`;
    case 'timestamp':
      return timestampValue(raw, formats, p);
    case 'number':
      return numberValue(raw, formats, p);
    case 'probability': {
      const n = numberValue(`nullif(rtrim(${raw}, '% '), '')`, formats, p);
      return formats.probability === 'fraction' ? `(${n} * 100)` : n;
    }
  }
}

function timestampValue(raw: string, formats: Formats, p: SqlParams): string {
  const patterns = formats.date.filter((d) => d !== 'iso');
  const parts = patterns.length ? [`try_strptime(${raw}, ${p.add(listValue(patterns))})`] : [];
  if (formats.date.includes('iso')) {
    // as fields.ts: the fast cast only without a UTC offset, else through TIMESTAMPTZ to UTC
    parts.push(
      `CASE WHEN substr(${raw}, 5, 1) = '-' AND (length(${raw}) <= 19 OR right(${raw}, 1) = 'Z') THEN try_cast(${raw} AS TIMESTAMP) END`,
      `CASE WHEN substr(${raw}, 5, 1) = '-' THEN timezone('UTC', try_cast(${raw} AS TIMESTAMPTZ)) END`
    );
  }
  return parts.length === 1 ? parts[0] : `coalesce(${parts.join(', ')})`;
}

function numberValue(raw: string, formats: Formats, p: SqlParams): string {
  let v = raw;
  if (formats.strip_currency) v = `regexp_replace(${v}, '[A-Z]{3}|[$€£¥\\s\\x{00A0}]', '', 'g')`;
  if (formats.thousands) v = `replace(${v}, ${p.add(formats.thousands)}, '')`;
  if (formats.decimal !== '.') v = `replace(${v}, ${p.add(formats.decimal)}, '.')`;
  return `try_cast(${v} AS DOUBLE)`;
}

/**
 * A rule as a BOOLEAN expression that is never NULL. Values compare trimmed and ignoring
 * case. `header` turns a rule's column name into the file's header (resolved beforehand).
 */
export function conditionSql(c: Condition, header: (name: string) => string, p: SqlParams): string {
  if ('all' in c) return `(${c.all.map((x) => conditionSql(x, header, p)).join(' AND ')})`;
  if ('any' in c) return `(${c.any.map((x) => conditionSql(x, header, p)).join(' OR ')})`;
  if ('not' in c) return `(NOT ${conditionSql(c.not, header, p)})`;
  const value = `lower(${rawValue(header(c.column))})`;
  if ('equals' in c) return `coalesce(${value} = ${p.add(c.equals.trim().toLowerCase())}, false)`;
  if ('in' in c) return `coalesce(list_contains(${p.add(listValue(c.in.map((v) => v.trim().toLowerCase())))}, ${value}), false)`;
  return c.empty ? `(${value} IS NULL)` : `(${value} IS NOT NULL)`;
}

import type { DuckDBConnection } from '@duckdb/node-api';
import { listValue } from '@duckdb/node-api';
import { queryRows } from '../../../db';
import { MAX_PROBLEMS, type Problem } from '../../../errors';
import { namedColumns, type DealField, type DealMapping, type Formats, type LeadField, type LeadMapping, type StageEntry } from './format';
import { isRanged, outOfRangeSql, RANGE_REASON, type RangedKind } from '../../../value-range';
import { conditionSql, KIND_REASON, quoteIdent, rawValue, resolveHeader, SqlParams, typedValue, type ValueKind } from './sql';

/**
 * One mapped section (deals or leads) of a raw staged table → a temporary table with
 * one typed column per mapped field (and its raw text beside it, `<field>__raw`), plus
 * the values that did not parse or lie outside the accepted range (value-range.ts). The
 * raw table has VARCHAR columns named as the file's headers and `rec`, the record number
 * (1-based).
 */
export interface RawSource {
  table: string;
  /** The file's name, for problems. */
  file: string;
  /** Physical line of record i (0-based), as csv-scan gives; without it a record is on line rec + 1. */
  recordLines?: Int32Array;
}

export const DEAL_KINDS: Record<DealField, ValueKind> = {
  deal_id: 'text', name: 'text', account: 'text', stage: 'text', amount: 'number', currency: 'text',
  close_date: 'date', created_date: 'timestamp', owner: 'text', owner_id: 'text', lead_source: 'text', type: 'text',
  pipeline: 'text', probability: 'probability', forecast_category: 'text', last_activity_date: 'date', last_modified: 'timestamp'
};
export const LEAD_KINDS: Record<LeadField, ValueKind> = {
  lead_id: 'text', status: 'text', lead_source: 'text', owner: 'text', owner_id: 'text', company: 'text',
  created_date: 'timestamp', converted: 'bool', converted_date: 'date', converted_deal_id: 'text', last_modified: 'timestamp'
};
const REQUIRED = new Set(['deal_id', 'stage', 'lead_id', 'status']);

export interface TypedSection {
  /** Mapped fields and the header each is read from. */
  headers: Map<string, string>;
  /** The table has rule columns: rule_won, rule_lost, rule_closed (deals) or rule_converted (leads). */
  rules: boolean;
  problems: Problem[];
}

export const lineOf = (source: RawSource, rec: number) => source.recordLines?.[rec - 1] ?? rec + 1;

export async function rawHeaders(conn: DuckDBConnection, table: string): Promise<string[]> {
  const rows = await queryRows<{ name: string }>(
    conn,
    `SELECT column_name AS name FROM duckdb_columns() WHERE table_name = $table AND column_name <> 'rec' ORDER BY column_index`,
    { table }
  );
  return rows.map((r) => r.name);
}

/** The headers a section names that the file lacks, as problems (line 1: the header line), each header once. */
export function missingHeaders(section: DealMapping | LeadMapping, headers: string[], file: string, kind: 'deals' | 'leads'): Problem[] {
  const missing = new Map<string, string[]>();
  for (const c of namedColumns(section)) {
    if (resolveHeader(headers, c.header) == null) missing.set(c.header, [...(missing.get(c.header) ?? []), `${kind}.${c.path}`]);
  }
  return [...missing].map(([header, paths]) => ({ file, line: 1, column: header, reason: `no such column (mapping ${paths.join(', ')}); columns: ${headers.join(', ')}` }));
}

/**
 * Creates temp table `target` from `source` (all records, or the first `limit`), and lists
 * values that do not parse, required values that are empty, and deals both won and lost.
 */
export async function typeSection(
  conn: DuckDBConnection,
  source: RawSource,
  section: DealMapping | LeadMapping,
  formats: Formats,
  target: string,
  limit: number | null = null
): Promise<TypedSection> {
  const kind = 'outcome' in section ? 'deals' : 'leads';
  const headers = await rawHeaders(conn, source.table);
  const missing = missingHeaders(section, headers, source.file, kind);
  if (missing.length) return { headers: new Map(), rules: false, problems: missing };

  const p = new SqlParams();
  const header = (name: string) => resolveHeader(headers, name)!;
  const kinds: Record<string, ValueKind> = kind === 'deals' ? DEAL_KINDS : LEAD_KINDS;
  const mapped = new Map(Object.entries(section.columns).map(([field, name]) => [field, header(name as string)]));
  const selects = [...mapped].map(([field, h]) => {
    const raw = rawValue(h);
    return `${typedValue(kinds[field], raw, formats, p)} AS ${quoteIdent(field)}, ${raw} AS ${quoteIdent(`${field}__raw`)}`;
  });
  const rules = ruleColumns(section, header, p);
  selects.push(...rules);
  const from = limit == null ? quoteIdent(source.table) : `(SELECT * FROM ${quoteIdent(source.table)} ORDER BY rec LIMIT ${p.add(limit)})`;
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${quoteIdent(target)} AS SELECT rec, ${selects.join(', ')} FROM ${from}`, p.params);

  const checks = [...mapped.keys()].flatMap((field) => {
    const f = quoteIdent(field), raw = quoteIdent(`${field}__raw`), name = `'${field}'`;
    const ranged = rangedKind(kinds[field]);
    // a value that does not parse, or parses to one no CRM produces (value-range.ts)
    const unreadable = ranged ? `(${f} IS NULL OR ${outOfRangeSql(ranged, f)})` : `${f} IS NULL`;
    return [
      ...(kinds[field] !== 'text' ? [`SELECT rec, ${name} AS field, ${raw} AS raw, ${f} IS NOT NULL AS parsed FROM ${quoteIdent(target)} WHERE ${raw} IS NOT NULL AND ${unreadable}`] : []),
      ...(REQUIRED.has(field) ? [`SELECT rec, ${name} AS field, NULL AS raw, false AS parsed FROM ${quoteIdent(target)} WHERE ${raw} IS NULL`] : [])
    ];
  });
  if ('outcome' in section && section.outcome.won && section.outcome.lost) {
    checks.push(`SELECT rec, 'outcome' AS field, NULL AS raw, false AS parsed FROM ${quoteIdent(target)} WHERE rule_won AND rule_lost`);
  }
  const bad = checks.length
    ? await queryRows<{ rec: number; field: string; raw: string | null; parsed: boolean }>(
        conn,
        `SELECT * FROM (${checks.join(' UNION ALL ')}) ORDER BY rec, field LIMIT ${MAX_PROBLEMS}`
      )
    : [];
  const problems = bad.map((b) => {
    const column = b.field === 'outcome' ? wonColumn(section as DealMapping, header) : mapped.get(b.field)!;
    return { file: source.file, line: lineOf(source, b.rec), column, reason: reason(b.field, b.raw, kinds[b.field], formats, b.parsed) };
  });
  return { headers: mapped, rules: rules.length > 0, problems };
}

function ruleColumns(section: DealMapping | LeadMapping, header: (name: string) => string, p: SqlParams): string[] {
  if ('converted_when' in section && section.converted_when) return [`${conditionSql(section.converted_when, header, p)} AS rule_converted`];
  if (!('outcome' in section)) return [];
  const { won, lost, closed } = section.outcome;
  if (won || lost || closed) {
    const rule = (c: typeof won, name: string) => `${c ? conditionSql(c, header, p) : 'false'} AS ${name}`;
    return [rule(won, 'rule_won'), rule(lost, 'rule_lost'), rule(closed, 'rule_closed')];
  }
  // Without rules, a stage list that flags closed or won stages decides, for the stages it lists.
  if (!section.stages.some((s) => s.closed != null || s.won != null) || !section.columns.stage) return [];
  const stage = rawValue(header(section.columns.stage));
  const names = (pick: (s: StageEntry) => boolean) => {
    const list = section.stages.filter(pick).map((s) => s.stage);
    return list.length ? p.add(listValue(list)) : '[]::VARCHAR[]'; // an empty list value has no type to bind
  };
  const known = names(() => true);
  return [
    `CASE WHEN list_contains(${known}, ${stage}) THEN list_contains(${names((s) => !!s.won)}, ${stage}) END AS rule_won`,
    `false AS rule_lost`,
    `CASE WHEN list_contains(${known}, ${stage}) THEN list_contains(${names((s) => !!s.closed || !!s.won)}, ${stage}) END AS rule_closed`
  ];
}

function wonColumn(section: DealMapping, header: (name: string) => string): string {
  const first = (c: unknown): string | null =>
    c && typeof c === 'object' ? ('column' in c ? (c.column as string) : Object.values(c).flat().map(first).find(Boolean) ?? null) : null;
  const name = first(section.outcome.won);
  return name ? header(name) : 'outcome';
}

/** The range a value of this kind must lie in (a probability is a number), if any. */
function rangedKind(kind: ValueKind): RangedKind | null {
  return kind === 'probability' ? 'number' : isRanged(kind) ? kind : null;
}

function reason(field: string, raw: string | null, kind: ValueKind | undefined, formats: Formats, parsed: boolean): string {
  if (field === 'outcome') return 'both the won and the lost rule hold';
  if (raw == null) return `empty ${field}`;
  const value = JSON.stringify(raw.length > 60 ? `${raw.slice(0, 57)}...` : raw);
  const ranged = kind && rangedKind(kind);
  if (parsed && ranged) return `out of range, not ${RANGE_REASON[ranged]}: ${value}`;
  const pattern = kind === 'date' || kind === 'timestamp' ? ` (${formats.date.join(' or ')})` : '';
  return `not a ${KIND_REASON[kind!]}${pattern}: ${value}`;
}

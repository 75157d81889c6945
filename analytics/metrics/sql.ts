import type { Database } from '../db';
import { BadParameterError } from '../errors';
import type { Filters } from './metric';

/**
 * SQL pieces shared by the metrics. Values always travel as named parameters; the only
 * text spliced into SQL comes from the allowlists below.
 */

/** Deal filters: a NULL parameter means "no filter". Lead source compares trimmed and case-insensitively; "(none)" selects empty sources. */
export const DEAL_FILTER = `
  ($owner::VARCHAR IS NULL OR d.owner_name = $owner OR d.owner_id = $owner)
  AND ($lead_source::VARCHAR IS NULL OR lower(coalesce(nullif(trim(d.lead_source), ''), '(none)')) = lower(trim($lead_source)))
  AND ($type::VARCHAR IS NULL OR coalesce(d.type, '(none)') = $type)
  AND ($pipeline::VARCHAR IS NULL OR d.pipeline = $pipeline)`;

/**
 * The sort order of the furthest open stage deal `d` (an alias) ever visited (its visited-stage mask:
 * history visits plus the stage it is in now); for a deal none of whose open stages is
 * known (closed, with no history and no earlier snapshot showing it open), the first open
 * stage of its pipeline (METRICS.md "Funnel").
 */
export const furthestOpenStage = (d = 'd') => `coalesce(
    (SELECT max(fs.sort_order) FROM snapshot_stages fs
     WHERE fs.snapshot_id = $snapshot AND fs.pipeline = ${d}.pipeline AND NOT fs.is_closed AND ${d}.visited_mask & fs.stage_mask <> 0),
    (SELECT min(fs.sort_order) FROM snapshot_stages fs
     WHERE fs.snapshot_id = $snapshot AND fs.pipeline = ${d}.pipeline AND NOT fs.is_closed))`;

/** Lead filters: owner and lead source, as for deals. */
export const LEAD_FILTER = `
  ($owner::VARCHAR IS NULL OR l.owner_name = $owner OR l.owner_id = $owner)
  AND ($lead_source::VARCHAR IS NULL OR lower(coalesce(nullif(trim(l.lead_source), ''), '(none)')) = lower(trim($lead_source)))`;

/** `column` (a DATE or TIMESTAMP) within the inclusive from..to dates; open-ended when a bound is NULL. */
export const inPeriod = (column: string) =>
  `(($from::DATE IS NULL OR ${column}::DATE >= $from::DATE) AND ($to::DATE IS NULL OR ${column}::DATE <= $to::DATE))`;

export function dealFilterParams(f: Filters) {
  return {
    owner: f.owner ?? null,
    lead_source: f.lead_source ?? null,
    type: f.type ?? null,
    pipeline: f.pipeline ?? null
  };
}

export function periodParams(f: Filters) {
  return { from: f.from ?? null, to: f.to ?? null };
}

/**
 * Fiscal quarter label of a date, FY named after the calendar year it ends in.
 * Shifting by $fiscal_shift months maps the fiscal year onto a calendar year.
 */
export const fiscalQuarterSql = (column: string) =>
  `('FY' || year(${column}::DATE + to_months($fiscal_shift)) || 'Q' || quarter(${column}::DATE + to_months($fiscal_shift)))`;

/** The fiscal quarter as a number (year × 10 + quarter): cheap to group millions of rows by, labelled after (fiscalQuarterLabelSql). */
export const fiscalQuarterKeySql = (column: string) =>
  `(year(${column}::DATE + to_months($fiscal_shift)) * 10 + quarter(${column}::DATE + to_months($fiscal_shift)))`;
export const fiscalQuarterLabelSql = (key: string) => `('FY' || (${key} // 10) || 'Q' || (${key} % 10))`;

export const fiscalShift = (startMonth: number) => (12 - (startMonth - 1)) % 12;

export type Dimension = 'owner' | 'lead_source' | 'type' | 'stage' | 'quarter';

/**
 * A grouping: `key` groups rows, `label` (an aggregate) names the group. Lead sources
 * group trimmed and case-insensitively and show their most frequent spelling.
 */
export interface Grouping {
  key: string;
  label: string;
  /** the row field naming the group: the dimension, or null when not grouped */
  column: Dimension | null;
}

const GROUPINGS: Record<Dimension, (a: string, dateColumn: string) => Omit<Grouping, 'column'>> = {
  owner: (a) => ({ key: `coalesce(${a}.owner_id, ${a}.owner_name)`, label: `coalesce(any_value(${a}.owner_name), any_value(${a}.owner_id), '(none)')` }),
  lead_source: (a) => ({
    key: `lower(nullif(trim(${a}.lead_source), ''))`,
    label: `coalesce(mode(nullif(trim(${a}.lead_source), '')), '(none)')`
  }),
  type: (a) => ({ key: `${a}.type`, label: `coalesce(any_value(${a}.type), '(none)')` }),
  stage: (a) => ({ key: `${a}.stage`, label: `any_value(${a}.stage)` }),
  quarter: (_, dateColumn) => ({ key: fiscalQuarterSql(dateColumn), label: `any_value(${fiscalQuarterSql(dateColumn)})` })
};

const ALL: Grouping = { key: `'(all)'`, label: `'(all)'`, column: null };

/** The grouping for `by`, checked against the dimensions a metric offers; `alias` is the deals relation. */
export function grouping(by: string | undefined, allowed: Dimension[], opts: { alias?: 'd' | 'v' | 'b'; dateColumn?: string } = {}): Grouping {
  if (by === undefined) return ALL;
  if (!allowed.includes(by as Dimension)) throw new BadParameterError('by', `one of ${allowed.join(', ')}`);
  const alias = opts.alias ?? 'd';
  return { ...GROUPINGS[by as Dimension](alias, opts.dateColumn ?? `${alias}.close_date`), column: by as Dimension };
}

/** `SELECT` prefix and `GROUP BY` clause for a grouping; ungrouped aggregates give one row even over no deals. */
export function groupingClauses(g: Grouping): { select: string; groupBy: string; orderBy: string } {
  if (!g.column) return { select: '', groupBy: '', orderBy: '' };
  return { select: `${g.label} AS "${g.column}",`, groupBy: `GROUP BY ${g.key}`, orderBy: `ORDER BY "${g.column}"` };
}

/** a / b, NULL when b is 0 or NULL (METRICS.md: ratios over nothing are null, never 0). */
export const ratio = (a: string, b: string) => `(${a})::DOUBLE / nullif(${b}, 0)`;

/**
 * Stage-by-stage metrics (funnel, stage durations) read one pipeline: pipelines have
 * their own stages, which may share names and places. With several in the snapshot and
 * none chosen, the answer names them and asks for one.
 */
export async function requireOnePipeline(db: Database, f: Filters): Promise<void> {
  if (f.pipeline) return;
  const rows = await db.query<{ pipeline: string }>(`SELECT DISTINCT pipeline FROM stages WHERE snapshot_id = $snapshot ORDER BY pipeline`, { snapshot: f.snapshot });
  if (rows.length > 1) throw new BadParameterError('pipeline', `this snapshot holds ${rows.length} pipelines, each with its own stages: choose one of ${rows.map((r) => r.pipeline).join(', ')}`);
}

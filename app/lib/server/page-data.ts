import { redirect } from '@sveltejs/kit';
/**
 * What every report page's load() does: resolve the snapshot, read the filter options
 * for the filter bar, run metrics and turn the engine's parameter errors into 4xx.
 */
import { error } from '@sveltejs/kit';
import { fiscalQuarterOf, shiftQuarter } from '../../../analytics/fiscal';
import { resolveSnapshotId } from '../../../analytics/snapshots';
import { BadParameterError, NotFoundError, runMetric, type MetricResult } from './engine';
import { getDatabase, getSettings } from './gateway';
import type { Database } from '../../../analytics/db';

export interface FilterOptions {
  owners: string[];
  lead_sources: string[];
  types: string[];
  /** The pipelines the snapshot's deals are in (one, 'default', for a Salesforce export). */
  pipelines: string[];
  /** Fiscal quarters spanned by the snapshot's close dates, latest first. */
  quarters: string[];
  /** The fiscal quarter of the snapshot date. */
  current_quarter: string | null;
  corporate_currency: string | null;
  as_of: string | null;
  /** Whether the export had a last-activity column (the inactive reason needs it). */
  has_activity: boolean;
}

/** Maps the engine's errors to the page's 4xx; anything else stays a 500. */
export function engineError(err: unknown, snapshot?: string): never {
  if (err instanceof BadParameterError && err.parameter === 'snapshot') error(404, `There is no snapshot ${snapshot}: it may have been deleted.`);
  if (err instanceof NotFoundError) error(404, err.message);
  if (err instanceof BadParameterError) error(400, err.message);
  throw err;
}

export async function metric(name: string, params: Record<string, string | undefined>): Promise<MetricResult> {
  const db = await getDatabase();
  return runMetric(db, getSettings(), name, params).catch((err) => engineError(err, params.snapshot));
}

/** The snapshot id a `snapshot` parameter names (null: nothing loaded yet), 404 when it is gone. */
export async function snapshotId(snapshot: string | undefined): Promise<number | null> {
  const db = await getDatabase();
  return resolveSnapshotId(db, snapshot).catch((err) => engineError(new BadParameterError('snapshot', String(err?.message ?? err)), snapshot));
}

const OPTIONS_SQL = `
  SELECT 'owner' AS kind, coalesce(owner_name, owner_id) AS value FROM deals WHERE snapshot_id = $snapshot AND coalesce(owner_name, owner_id) IS NOT NULL
  UNION
  SELECT 'lead_source', coalesce(mode(nullif(trim(lead_source), '')), '(none)') FROM deals WHERE snapshot_id = $snapshot GROUP BY lower(nullif(trim(lead_source), ''))
  UNION
  SELECT 'type', coalesce(type, '(none)') FROM deals WHERE snapshot_id = $snapshot
  UNION
  SELECT 'pipeline', pipeline FROM deals WHERE snapshot_id = $snapshot
  ORDER BY kind, value`;

const RANGE_SQL = `
  SELECT strftime(min(close_date), '%Y-%m-%d') AS first, strftime(max(close_date), '%Y-%m-%d') AS last,
         (SELECT strftime(as_of, '%Y-%m-%dT%H:%M:%SZ') FROM snapshots WHERE snapshot_id = $snapshot) AS as_of,
         (SELECT corporate_currency FROM snapshots WHERE snapshot_id = $snapshot) AS corporate_currency,
         (SELECT has_activity FROM snapshots WHERE snapshot_id = $snapshot) AS has_activity
  FROM deals WHERE snapshot_id = $snapshot`;

export async function filterOptions(id: number | null, db?: Database): Promise<FilterOptions> {
  const empty: FilterOptions = { owners: [], lead_sources: [], types: [], pipelines: [], quarters: [], current_quarter: null, corporate_currency: null, as_of: null, has_activity: false };
  if (id === null) return empty;
  db ??= await getDatabase();
  const [options, [range]] = await Promise.all([
    db.query<{ kind: string; value: string }>(OPTIONS_SQL, { snapshot: id }),
    db.query<{ first: string | null; last: string | null; as_of: string | null; corporate_currency: string | null; has_activity: boolean | null }>(RANGE_SQL, { snapshot: id })
  ]);
  const pick = (kind: string) => options.filter((o) => o.kind === kind).map((o) => o.value);
  const start = getSettings().fiscal_year_start_month;
  const quarters: string[] = [];
  if (range.first && range.last) {
    let q = fiscalQuarterOf(range.first, start);
    const last = fiscalQuarterOf(range.last, start).label;
    for (let i = 0; i < 60; i++) {
      quarters.unshift(q.label);
      if (q.label === last) break;
      q = shiftQuarter(q, 1, start);
    }
  }
  return {
    owners: pick('owner'),
    lead_sources: pick('lead_source'),
    types: pick('type'),
    pipelines: pick('pipeline'),
    quarters,
    current_quarter: range.as_of ? fiscalQuarterOf(range.as_of, start).label : null,
    corporate_currency: range.corporate_currency,
    as_of: range.as_of,
    has_activity: range.has_activity === true
  };
}

/**
 * Pages that list stages in funnel order (funnel, durations) show one pipeline at a time:
 * each pipeline has its own stages, and several may share a name. Without a pipeline in
 * the URL they go to the first one's.
 */
export function onePipelineAtATime(url: URL, options: FilterOptions): void {
  if (options.pipelines.length < 2 || url.searchParams.get('pipeline')) return;
  const target = new URL(url);
  target.searchParams.set('pipeline', options.pipelines[0]);
  redirect(307, target.pathname + target.search);
}

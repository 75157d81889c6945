import type { Database } from './db';
import { fiscalQuarterOf, shiftQuarter } from './fiscal';

/** What a snapshot offers the filter bar: its owners, sources, types, pipelines and quarters. */
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

export const NO_FILTER_OPTIONS: FilterOptions = {
  owners: [],
  lead_sources: [],
  types: [],
  pipelines: [],
  quarters: [],
  current_quarter: null,
  corporate_currency: null,
  as_of: null,
  has_activity: false
};

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

/** At most this many quarters are offered (15 years), whatever the close dates span. */
const MAX_QUARTERS = 60;

export async function filterOptions(db: Database, snapshot: number | null, fiscalYearStartMonth: number): Promise<FilterOptions> {
  if (snapshot === null) return NO_FILTER_OPTIONS;
  const [options, [range]] = await Promise.all([
    db.query<{ kind: string; value: string }>(OPTIONS_SQL, { snapshot }),
    db.query<{ first: string | null; last: string | null; as_of: string | null; corporate_currency: string | null; has_activity: boolean | null }>(RANGE_SQL, { snapshot })
  ]);
  const pick = (kind: string) => options.filter((o) => o.kind === kind).map((o) => o.value);
  const quarters: string[] = [];
  if (range.first && range.last) {
    let q = fiscalQuarterOf(range.first, fiscalYearStartMonth);
    const last = fiscalQuarterOf(range.last, fiscalYearStartMonth).label;
    for (let i = 0; i < MAX_QUARTERS; i++) {
      quarters.unshift(q.label);
      if (q.label === last) break;
      q = shiftQuarter(q, 1, fiscalYearStartMonth);
    }
  }
  return {
    owners: pick('owner'),
    lead_sources: pick('lead_source'),
    types: pick('type'),
    pipelines: pick('pipeline'),
    quarters,
    current_quarter: range.as_of ? fiscalQuarterOf(range.as_of, fiscalYearStartMonth).label : null,
    corporate_currency: range.corporate_currency,
    as_of: range.as_of,
    has_activity: range.has_activity === true
  };
}

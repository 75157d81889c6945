import type { Database } from '../db';
import { NotFoundError } from '../errors';
import { dropOrphanRows } from './versions';

export interface SnapshotSummary {
  snapshot_id: number;
  crm: string;
  /** where the export came from when it tells: `org:<Salesforce org id>`, `mapping:<name>` */
  source_key: string | null;
  export_kind: string;
  as_of: string;
  as_of_source: string;
  loaded_at: string;
  corporate_currency: string | null;
  has_activity: boolean;
  files: { name: string; object: string; rows: number; encoding: string }[];
  ignored_files: string[];
  warnings: string[];
  counts: { deals: number; open_deals: number; stage_events: number; leads: number; stages: number };
  /** data-quality checks that hit, by severity; null for a snapshot loaded before checks existed and not checked yet */
  quality: { unusable: number; warning: number } | null;
}

// Counts per snapshot come from one grouped pass over each view (a correlated count per
// snapshot would expand every stored version once per snapshot); one snapshot's filter is a
// constant, so the views join that snapshot alone to its versions.
const SUMMARY_SQL = (which: 'true' | 'snapshot_id = $id') => `
  WITH chosen AS (SELECT * FROM snapshots WHERE ${which}),
  deal_counts AS (
    SELECT snapshot_id, count(*)::INTEGER AS deals, count(*) FILTER (WHERE NOT closed)::INTEGER AS open_deals
    FROM deal_states WHERE ${which} GROUP BY snapshot_id
  ),
  event_counts AS (SELECT snapshot_id, count(*)::INTEGER AS n FROM stage_events WHERE ${which} GROUP BY snapshot_id),
  lead_counts AS (SELECT snapshot_id, count(*)::INTEGER AS n FROM leads WHERE ${which} GROUP BY snapshot_id),
  stage_counts AS (SELECT snapshot_id, count(*)::INTEGER AS n FROM stages WHERE ${which} GROUP BY snapshot_id),
  quality AS (
    SELECT snapshot_id, count(*) FILTER (WHERE severity = 'unusable')::INTEGER AS unusable, count(*) FILTER (WHERE severity = 'warning')::INTEGER AS warning
    FROM quality_checks WHERE ${which} GROUP BY snapshot_id
  )
  SELECT s.snapshot_id, s.crm, s.source_key, s.export_kind,
         strftime(s.as_of, '%Y-%m-%dT%H:%M:%SZ') AS as_of, s.as_of_source,
         strftime(s.loaded_at, '%Y-%m-%dT%H:%M:%SZ') AS loaded_at,
         s.corporate_currency, s.has_activity,
         s.files::VARCHAR AS files, s.ignored_files::VARCHAR AS ignored_files, s.warnings::VARCHAR AS warnings,
         coalesce(d.deals, 0) AS deals, coalesce(d.open_deals, 0) AS open_deals, coalesce(e.n, 0) AS stage_events,
         coalesce(l.n, 0) AS leads, coalesce(t.n, 0) AS stages, q.unusable AS quality_unusable, q.warning AS quality_warning
  FROM chosen s
  LEFT JOIN deal_counts d USING (snapshot_id) LEFT JOIN event_counts e USING (snapshot_id)
  LEFT JOIN lead_counts l USING (snapshot_id) LEFT JOIN stage_counts t USING (snapshot_id) LEFT JOIN quality q USING (snapshot_id)
  ORDER BY s.as_of DESC, s.snapshot_id DESC`;

type SummaryRow = Omit<SnapshotSummary, 'files' | 'ignored_files' | 'warnings' | 'counts' | 'quality'> &
  Record<'files' | 'ignored_files' | 'warnings', string> &
  SnapshotSummary['counts'] & { quality_unusable: number | null; quality_warning: number | null };

function toSummary(r: SummaryRow): SnapshotSummary {
  const { deals, open_deals, stage_events, leads, stages, files, ignored_files, warnings, quality_unusable, quality_warning, ...rest } = r;
  return {
    ...rest,
    files: JSON.parse(files),
    ignored_files: JSON.parse(ignored_files),
    warnings: JSON.parse(warnings),
    counts: { deals, open_deals, stage_events, leads, stages },
    quality: quality_unusable === null ? null : { unusable: quality_unusable, warning: quality_warning! }
  };
}

const listed = new WeakMap<Database, { version: number; list: Promise<SnapshotSummary[]> }>();

/** Newest first (by as_of, then by id); every page asks, so the answer is kept until the next write. */
export function listSnapshots(db: Database): Promise<SnapshotSummary[]> {
  const kept = listed.get(db);
  if (kept && kept.version === db.version) return kept.list;
  const list = db.query<SummaryRow>(SUMMARY_SQL('true')).then((rows) => rows.map(toSummary));
  listed.set(db, { version: db.version, list });
  list.catch(() => listed.delete(db));
  return list;
}

export async function getSnapshot(db: Database, id: number): Promise<SnapshotSummary | null> {
  const [row] = await db.query<SummaryRow>(SUMMARY_SQL('snapshot_id = $id'), { id });
  return row ? toSummary(row) : null;
}

/** The snapshot a metric runs on: an id, or the latest; null when there is none yet. */
export async function resolveSnapshotId(db: Database, ref: string | number | undefined): Promise<number | null> {
  if (ref === undefined || ref === '' || ref === 'latest') {
    const [row] = await db.query<{ id: number }>(`SELECT snapshot_id AS id FROM snapshots ORDER BY as_of DESC, snapshot_id DESC LIMIT 1`);
    return row?.id ?? null;
  }
  const id = parseSnapshotId(ref);
  const [row] = id === null ? [] : await db.query<{ id: number }>(`SELECT snapshot_id AS id FROM snapshots WHERE snapshot_id = $id`, { id });
  if (!row) throw new NotFoundError(`snapshot ${ref}`);
  return row.id;
}

/** A snapshot id written as one (digits, within the INTEGER column's range), else null: `1e21`, `-1`, `x`. */
export function parseSnapshotId(ref: string | number): number | null {
  const id = Number(ref);
  return /^\d{1,10}$/.test(String(ref)) && id >= 1 && id <= 2 ** 31 - 1 ? id : null;
}

// deals, stage events, visits and leads are versions: what no snapshot holds any more goes after (dropOrphanRows)
const SNAPSHOT_TABLES = ['forecast_ledger', 'forecast_ledger_runs', 'quality_checks', 'stage_visit_stats', 'stages', 'lead_statuses', 'currency_rates', 'snapshots'];

export async function deleteSnapshot(db: Database, id: number): Promise<void> {
  await deleteSnapshots(db, [id]);
}

/**
 * Removes snapshots and everything they hold, all or none. Other snapshots are left as
 * they are, including the stage events later history-less snapshots learnt from the
 * removed ones: retention must not change the answers of what it keeps.
 */
export async function deleteSnapshots(db: Database, ids: number[]): Promise<void> {
  await db.transaction(async (conn) => {
    for (const id of ids) {
      const reader = await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM snapshots WHERE snapshot_id = $id`, { id });
      if (!reader.getRowObjectsJS()[0].n) throw new NotFoundError(`snapshot ${id}`);
      for (const table of SNAPSHOT_TABLES) await conn.run(`DELETE FROM ${table} WHERE snapshot_id = $id`, { id });
    }
    await dropOrphanRows(conn);
  });
}

import { listValue } from '@duckdb/node-api';
import type { Settings } from '../settings';
import { FIRST_DATE, LAST_DATE } from '../value-range';
import type { Filters } from './metric';
import { DEAL_FILTER, fiscalQuarterKeySql, fiscalQuarterLabelSql, dealFilterParams, fiscalQuarterSql, fiscalShift, grouping, inPeriod, periodParams } from './sql';

export interface ForecastRow {
  [key: string]: unknown;
  quarter: string;
  closed_won: number;
  commit: number;
  best_case: number;
  pipeline: number;
  omitted: number;
  commit_forecast: number;
  best_case_forecast: number;
  open_pipeline: number;
  weighted: number;
  calibrated: number;
}

/**
 * Per fiscal quarter of close date. A deal's own forecast category and probability
 * win over its stage's. The calibrated rate of a stage is the win rate of the
 * snapshot's closed deals that ever visited it (history visits or their final stage),
 * or the stage probability when fewer than $min_deals such deals exist.
 */
export function buildForecastSql(f: Filters, settings: Settings, opts: { everySnapshotUpTo?: boolean; snapshotIds?: number[] } = {}) {
  const g = grouping(f.by, ['owner', 'lead_source', 'type', 'stage']);
  // every snapshot taken up to the chosen one (forecast-accuracy), or those listed (the forecast ledger), each with its own calibration
  const snapshots = opts.snapshotIds
    ? `SELECT unnest($snapshot_ids::INTEGER[]) AS snapshot_id`
    : opts.everySnapshotUpTo
      ? `SELECT snapshot_id FROM snapshots WHERE as_of <= (SELECT as_of FROM snapshots WHERE snapshot_id = $snapshot)`
      : `SELECT $snapshot::INTEGER AS snapshot_id`;
  if (opts.snapshotIds) opts = { ...opts, everySnapshotUpTo: true };
  // one snapshot: a constant, so the deals view joins the one snapshot row to its versions instead of every snapshot's
  const inSnapshots = (column: string) => (opts.everySnapshotUpTo ? `${column} IN (SELECT snapshot_id FROM snaps)` : `${column} = $snapshot`);
  const quarter = fiscalQuarterSql('d.close_date');
  const sum = (cond: string, value = 'd.value') => `coalesce(sum(${value}) FILTER (WHERE ${cond}), 0)`;
  const open = `NOT d.closed AND d.category IS DISTINCT FROM 'Omitted'`;
  const figures = `
      ${sum('d.won')}::DOUBLE AS closed_won,
      ${sum(`NOT d.closed AND d.category = 'Commit'`)}::DOUBLE AS commit,
      ${sum(`NOT d.closed AND d.category = 'Best Case'`)}::DOUBLE AS best_case,
      ${sum(`NOT d.closed AND d.category = 'Pipeline'`)}::DOUBLE AS pipeline,
      ${sum(`NOT d.closed AND d.category = 'Omitted'`)}::DOUBLE AS omitted,
      (${sum('d.won')} + ${sum(`NOT d.closed AND d.category = 'Commit'`)})::DOUBLE AS commit_forecast,
      (${sum('d.won')} + ${sum(`NOT d.closed AND d.category IN ('Commit', 'Best Case')`)})::DOUBLE AS best_case_forecast,
      ${sum(`NOT d.closed AND d.category IN ('Commit', 'Best Case', 'Pipeline')`)}::DOUBLE AS open_pipeline,
      (${sum('d.won')} + ${sum(open, 'd.value * coalesce(d.effective_probability, 0) / 100')})::DOUBLE AS weighted,
      (${sum('d.won')} + ${sum(open, 'd.value * coalesce(d.calibrated_rate, 0)')})::DOUBLE AS calibrated`;
  const sql = `
    WITH snaps AS (${snapshots}),
    history AS (
      SELECT p.snapshot_id, st.pipeline, st.stage, sum(p.deals) AS closed_deals, coalesce(sum(p.deals) FILTER (WHERE p.won), 0) AS won_deals
      FROM (SELECT snapshot_id, pipeline, visited_mask, won, count(*) AS deals FROM deal_states
            WHERE ${inSnapshots('snapshot_id')} AND closed GROUP BY ALL) p
      JOIN snapshot_stages st ON st.snapshot_id = p.snapshot_id AND st.pipeline = p.pipeline AND p.visited_mask & st.stage_mask <> 0
      GROUP BY p.snapshot_id, st.pipeline, st.stage
    ),
    rates AS (
      SELECT st.snapshot_id, st.pipeline, st.stage,
             CASE WHEN h.closed_deals >= $min_deals THEN h.won_deals / h.closed_deals ELSE st.probability / 100 END AS calibrated_rate
      FROM snapshot_stages st LEFT JOIN history h ON h.snapshot_id = st.snapshot_id AND h.pipeline = st.pipeline AND h.stage = st.stage
      WHERE ${inSnapshots('st.snapshot_id')}
    ),
    d AS (
      SELECT d.*, coalesce(d.amount_corporate, 0) AS value, d.effective_forecast_category AS category, r.calibrated_rate
      FROM deal_states d LEFT JOIN rates r ON r.snapshot_id = d.snapshot_id AND r.pipeline = d.pipeline AND r.stage = d.stage
      WHERE ${inSnapshots('d.snapshot_id')} AND d.close_date IS NOT NULL AND ${inPeriod('d.close_date')} AND ${DEAL_FILTER}
    )
    ${
      opts.everySnapshotUpTo
        ? `SELECT snapshot_id, ${fiscalQuarterLabelSql('quarter_key')} AS quarter, * EXCLUDE (snapshot_id, quarter_key) FROM (
             SELECT d.snapshot_id, ${fiscalQuarterKeySql('d.close_date')} AS quarter_key, ${figures}
             FROM d GROUP BY ALL
           ) ORDER BY snapshot_id, quarter_key`
        : g.column
        ? `SELECT ${quarter} AS quarter, ${g.label} AS "${g.column}", ${figures}
           FROM d GROUP BY ${quarter}, ${g.key} ORDER BY quarter, "${g.column}"`
        : `, span AS (
             -- every quarter from the first to the last is a row (gaps as 0), within the dates ingest accepts (an older
             -- database's year 10000 would make thousands); a deal outside them still gets its own quarter's
             -- (greatest and least skip a NULL: with no deal and an open end there is no span at all)
             SELECT CASE WHEN coalesce($from::DATE, min(close_date)) IS NOT NULL THEN greatest(coalesce($from::DATE, min(close_date)), DATE '${FIRST_DATE}') END AS first,
                    CASE WHEN coalesce($to::DATE, max(close_date)) IS NOT NULL THEN least(coalesce($to::DATE, max(close_date)), DATE '${LAST_DATE}') END AS last
             FROM d
           ),
           quarters AS (
             SELECT DISTINCT ${fiscalQuarterSql('m')} AS quarter
             FROM (SELECT unnest(generate_series(first, last, INTERVAL 1 MONTH)) AS m FROM span
                   UNION ALL SELECT last FROM span WHERE last >= first
                   UNION ALL SELECT close_date FROM d) AS months
             WHERE m IS NOT NULL
           )
           SELECT q.quarter, ${figures}
           FROM quarters q LEFT JOIN d ON ${quarter} = q.quarter
           GROUP BY q.quarter ORDER BY length(q.quarter), q.quarter`
    }`;
  return {
    sql,
    params: {
      ...(opts.snapshotIds ? { snapshot_ids: listValue(opts.snapshotIds) } : { snapshot: f.snapshot }),
      ...periodParams(f),
      ...dealFilterParams(f),
      fiscal_shift: fiscalShift(settings.fiscal_year_start_month),
      min_deals: settings.calibration_min_deals
    }
  };
}

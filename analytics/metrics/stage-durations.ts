import type { Filters, Metric } from './metric';
import { DEAL_FILTER, dealFilterParams, requireOnePipeline, grouping, inPeriod, periodParams } from './sql';

export interface StageDurationRow {
  [key: string]: unknown;
  stage: string;
  sort_order: number;
  visits: number;
  mean_days: number | null;
  median_days: number | null;
  p75_days: number | null;
  p90_days: number | null;
  ongoing: number;
}

/**
 * Visits of the filtered deals that began in the period. A visit with an exit is
 * complete and has a duration; the last visit of an open deal in its current stage is
 * ongoing; the last visit of a closed deal has no duration, nor has a last visit whose
 * stage is not the deal's current one (its exit is not in the history).
 */
export function buildStageDurationsSql(f: Filters) {
  const unfiltered = [f.from, f.to, f.owner, f.lead_source, f.type, f.pipeline, f.by].every((v) => v === undefined);
  if (unfiltered) return { sql: ALL_VISITS_SQL, params: { snapshot: f.snapshot } };
  const g = grouping(f.by, ['owner', 'lead_source', 'type'], { alias: 'v' });
  const visits = `
    WITH d AS (SELECT * FROM deal_states d WHERE d.snapshot_id = $snapshot AND ${DEAL_FILTER}),
    v AS (
      SELECT v.stage AS visit_stage, d.*,
             (epoch(v.exited_at) - epoch(v.entered_at)) / 86400.0 AS days,
             v.exited_at IS NULL AND NOT d.closed AND v.stage = d.stage AS is_ongoing
      FROM stage_visits v JOIN d ON d.deal_id = v.deal_id
      WHERE v.snapshot_id = $snapshot AND ${inPeriod('v.entered_at')}
    )`;
  const stats = `
           count(v.days)::INTEGER AS visits,
           avg(v.days)::DOUBLE AS mean_days,
           quantile_cont(v.days, 0.5)::DOUBLE AS median_days,
           quantile_cont(v.days, 0.75)::DOUBLE AS p75_days,
           quantile_cont(v.days, 0.9)::DOUBLE AS p90_days,
           count(*) FILTER (WHERE v.is_ongoing)::INTEGER AS ongoing`;
  const sql = g.column
    ? `${visits}
       SELECT ${g.label} AS "${g.column}", st.stage, st.sort_order::INTEGER AS sort_order, ${stats}
       FROM v JOIN snapshot_stages st ON st.snapshot_id = $snapshot AND st.pipeline = v.pipeline AND st.stage = v.visit_stage
       GROUP BY ${g.key}, st.stage, st.sort_order
       ORDER BY "${g.column}", st.sort_order, st.stage`
    : `${visits}
       SELECT st.stage, st.sort_order::INTEGER AS sort_order, ${stats}
       FROM snapshot_stages st LEFT JOIN v ON v.pipeline = st.pipeline AND v.visit_stage = st.stage
       WHERE st.snapshot_id = $snapshot AND ($pipeline::VARCHAR IS NULL OR st.pipeline = $pipeline)
       GROUP BY st.stage, st.sort_order
       ORDER BY st.sort_order, st.stage`;
  return { sql, params: { snapshot: f.snapshot, ...periodParams(f), ...dealFilterParams(f) } };
}

/** Without filters, the statistics computed at ingest (stage_visit_stats) and a live count of ongoing visits. */
const ALL_VISITS_SQL = `
  WITH ongoing AS (
    SELECT v.stage, count(*) AS ongoing
    FROM stage_visits v JOIN deal_states d ON d.snapshot_id = v.snapshot_id AND d.deal_id = v.deal_id
    WHERE v.snapshot_id = $snapshot AND v.exited_at IS NULL AND NOT d.closed AND v.stage = d.stage
    GROUP BY v.stage
  )
  SELECT st.stage, st.sort_order::INTEGER AS sort_order, coalesce(s.visits, 0)::INTEGER AS visits,
         s.mean_days, s.median_days, s.p75_days, s.p90_days, coalesce(o.ongoing, 0)::INTEGER AS ongoing
  FROM snapshot_stages st
  LEFT JOIN stage_visit_stats s ON s.snapshot_id = st.snapshot_id AND s.stage = st.stage
  LEFT JOIN ongoing o ON o.stage = st.stage
  WHERE st.snapshot_id = $snapshot
  ORDER BY st.sort_order, st.stage`;

export const stageDurations: Metric<StageDurationRow> = {
  name: 'stage-durations',
  note:
    'Per stage, over completed visits that began in the period (all visits when no period): a visit runs from a deal’s first event in the stage ' +
    'to its first event in the next different stage, in fractional days; a return to a stage is a new visit. Median, p75 and p90 are continuous ' +
    'quantiles with linear interpolation. Ongoing counts open deals still in their current visit. Visits come from the export’s stage history, ' +
    'or, for an export without one, from the differences between snapshots (to the resolution of the snapshot interval). "–" when a data-quality ' +
    'check finds the history unusable (all of it at one load instant, or most of it after the snapshot date).',
  accepts: ['from', 'to', 'period', 'owner', 'lead_source', 'type', 'pipeline', 'by'],
  async run(filters, { db }) {
    await requireOnePipeline(db, filters);
    const { sql, params } = buildStageDurationsSql(filters);
    return db.query<StageDurationRow>(sql, params);
  }
};

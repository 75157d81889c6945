import type { Filters, Metric } from './metric';
import { DEAL_FILTER, dealFilterParams, inPeriod, periodParams, ratio } from './sql';

export interface FunnelRow {
  [key: string]: unknown;
  stage: string;
  sort_order: number;
  reached: number;
  step_conversion: number | null;
  cumulative_conversion: number | null;
  open_count: number | null;
  open_amount: number | null;
}

/**
 * A deal reached an open stage when the highest open stage it ever visited (its
 * history's visits plus the stage it is in now) is at or after it; won deals reached
 * them all. The Won row follows the last open stage.
 */
export const FUNNEL_SQL = `
  WITH d AS (
    SELECT * FROM deal_states d
    WHERE d.snapshot_id = $snapshot AND ${inPeriod('d.created_at')} AND ${DEAL_FILTER}
  ),
  st AS (
    SELECT pipeline, stage, sort_order, is_closed FROM snapshot_stages
    WHERE snapshot_id = $snapshot AND ($pipeline::VARCHAR IS NULL OR pipeline = $pipeline)
  ),
  visited AS (
    SELECT v.deal_id, v.stage FROM stage_visits v WHERE v.snapshot_id = $snapshot AND v.deal_id IN (SELECT deal_id FROM d)
    UNION ALL
    SELECT deal_id, stage FROM d
  ),
  reach AS (
    SELECT d.deal_id, d.pipeline, any_value(d.won) AS won,
           max(st.sort_order) FILTER (WHERE NOT st.is_closed) AS highest_open
    FROM d
    JOIN visited v ON v.deal_id = d.deal_id
    LEFT JOIN st ON st.pipeline = d.pipeline AND st.stage = v.stage
    GROUP BY d.deal_id, d.pipeline
  ),
  open_stages AS (
    SELECT st.stage, st.sort_order,
           (SELECT count(*) FROM reach r WHERE r.pipeline = st.pipeline AND (r.won OR r.highest_open >= st.sort_order)) AS reached,
           (SELECT count(*) FROM d WHERE d.pipeline = st.pipeline AND d.stage = st.stage AND NOT d.closed) AS open_count,
           (SELECT coalesce(sum(coalesce(d.amount_corporate, 0)), 0) FROM d WHERE d.pipeline = st.pipeline AND d.stage = st.stage AND NOT d.closed) AS open_amount
    FROM st WHERE NOT st.is_closed
  ),
  funnel AS (
    SELECT stage, sort_order, reached, open_count, open_amount, false AS won_row FROM open_stages
    UNION ALL
    SELECT 'Won', coalesce((SELECT max(sort_order) FROM open_stages), 0) + 1, (SELECT count(*) FROM reach WHERE won), NULL, NULL, true
  )
  SELECT stage, sort_order::INTEGER AS sort_order, reached::INTEGER AS reached,
         CASE WHEN won_row THEN NULL ELSE ${ratio('lead(reached) OVER ordered', 'reached')} END AS step_conversion,
         ${ratio('reached', 'first_value(reached) OVER ordered')} AS cumulative_conversion,
         open_count::INTEGER AS open_count, open_amount::DOUBLE AS open_amount
  FROM funnel
  WINDOW ordered AS (ORDER BY sort_order, stage ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
  ORDER BY sort_order, stage`;

export function buildFunnelSql(f: Filters) {
  return { sql: FUNNEL_SQL, params: { snapshot: f.snapshot, ...periodParams(f), ...dealFilterParams(f) } };
}

export const funnel: Metric<FunnelRow> = {
  name: 'funnel',
  note:
    'Deals created in the period (all deals when no period). A deal reached a stage when the furthest open stage it ever visited is at or after it ' +
    '(skipped stages count as passed; won deals reached every stage; a deal without stage history counts the stage it is in now). ' +
    'Step conversion = reached(next) ÷ reached(this), the last open stage’s next being Won; cumulative = reached(this) ÷ reached(first stage). ' +
    'Open count and amount: those deals open in the stage at the snapshot date.',
  accepts: ['from', 'to', 'period', 'owner', 'lead_source', 'type', 'pipeline'],
  run(filters, { db }) {
    const { sql, params } = buildFunnelSql(filters);
    return db.query<FunnelRow>(sql, params);
  }
};

import type { Filters, Metric } from './metric';
import { DEAL_FILTER, dealFilterParams, furthestOpenStage, requireOnePipeline, inPeriod, periodParams, ratio } from './sql';

export interface FunnelRow {
  [key: string]: unknown;
  stage: string;
  sort_order: number;
  reached: number;
  step_conversion: number | null;
  cumulative_conversion: number | null;
  open_count: number;
  open_amount: number;
  /** lost deals whose furthest open stage is this one */
  lost_after: number;
}

/**
 * A deal reached an open stage when the furthest open stage it ever visited (its
 * visited-stage mask: history visits plus the stage it is in now) is at or after it;
 * won deals reached them all; a deal none of whose open stages is known reached the
 * first. Deals are first counted per distinct mask, so the furthest stage is worked out
 * once per path, not once per deal. The Won row follows the last open stage; nothing is
 * open or lost there.
 */
export const FUNNEL_SQL = `
  WITH d AS (
    SELECT * FROM deal_states d
    WHERE d.snapshot_id = $snapshot AND ${inPeriod('d.created_at')} AND ${DEAL_FILTER}
  ),
  st AS (
    SELECT pipeline, stage, sort_order, is_closed, stage_mask FROM snapshot_stages
    WHERE snapshot_id = $snapshot AND ($pipeline::VARCHAR IS NULL OR pipeline = $pipeline)
  ),
  paths AS (SELECT pipeline, visited_mask, won, closed AND NOT won AS lost, count(*) AS deals FROM d GROUP BY ALL),
  reach AS (
    SELECT p.pipeline, p.won, p.lost, p.deals, ${furthestOpenStage('p')} AS highest_open
    FROM paths p
  ),
  open_now AS (
    SELECT pipeline, stage, count(*) AS open_count, sum(coalesce(amount_corporate, 0)) AS open_amount
    FROM d WHERE NOT closed GROUP BY pipeline, stage
  ),
  open_stages AS (
    SELECT st.stage, st.sort_order,
           (SELECT coalesce(sum(r.deals), 0) FROM reach r WHERE r.pipeline = st.pipeline AND (r.won OR r.highest_open >= st.sort_order)) AS reached,
           coalesce(o.open_count, 0) AS open_count, coalesce(o.open_amount, 0) AS open_amount,
           (SELECT coalesce(sum(r.deals), 0) FROM reach r WHERE r.pipeline = st.pipeline AND r.lost AND r.highest_open = st.sort_order) AS lost_after
    FROM st LEFT JOIN open_now o ON o.pipeline = st.pipeline AND o.stage = st.stage
    WHERE NOT st.is_closed
  ),
  funnel AS (
    SELECT stage, sort_order, reached, open_count, open_amount, lost_after, false AS won_row FROM open_stages
    UNION ALL
    SELECT 'Won', coalesce((SELECT max(sort_order) FROM open_stages), 0) + 1, (SELECT coalesce(sum(deals), 0) FROM reach WHERE won), 0, 0, 0, true
  )
  SELECT stage, sort_order::INTEGER AS sort_order, reached::INTEGER AS reached,
         CASE WHEN won_row THEN NULL ELSE ${ratio('lead(reached) OVER ordered', 'reached')} END AS step_conversion,
         ${ratio('reached', 'first_value(reached) OVER ordered')} AS cumulative_conversion,
         open_count::INTEGER AS open_count, open_amount::DOUBLE AS open_amount, lost_after::INTEGER AS lost_after
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
    '(skipped stages count as passed; won deals reached every stage; a deal without stage history counts the stage it is in now; ' +
    'a lost deal none of whose open stages is known counts at the first stage, so every deal created is in the first row). ' +
    'Step conversion = reached(next) ÷ reached(this), the last open stage’s next being Won; cumulative = reached(this) ÷ reached(first stage). ' +
    'Open count and amount: those deals open in the stage at the snapshot date. Lost after: lost deals whose furthest open stage is this one. ' +
    'The Won row has no step conversion, and nothing open or lost.',
  accepts: ['from', 'to', 'period', 'owner', 'lead_source', 'type', 'pipeline'],
  async run(filters, { db }) {
    await requireOnePipeline(db, filters);
    const { sql, params } = buildFunnelSql(filters);
    return db.query<FunnelRow>(sql, params);
  }
};

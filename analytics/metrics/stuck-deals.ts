import type { Settings } from '../settings';
import type { Filters, Metric } from './metric';
import { DEAL_FILTER, dealFilterParams } from './sql';

export interface StuckDealRow {
  [key: string]: unknown;
  deal_id: string;
  deal: string | null;
  owner: string | null;
  stage: string;
  amount: number | null;
  close_date: string | null;
  days_in_stage: number | null;
  threshold_days: number;
  push_count: number;
  last_activity_date: string | null;
  reasons: string[];
}

/**
 * Open deals with at least one reason. The current visit is the deal's last history
 * visit when it is in the deal's current stage; otherwise the export's
 * LastStageChangeDate, when it has one; otherwise days in stage are unknown and the
 * deal is not called stalled. Thresholds and push counts were computed at ingest
 * (stage_visit_stats, deals.push_count). Days in stage are not computed at all when a
 * data-quality check finds the stage history unusable (quality/checks.ts).
 */
const FLAGGED = `
    WITH s AS (SELECT as_of, has_activity FROM snapshots WHERE snapshot_id = $snapshot),
    durations_usable AS (
      SELECT NOT EXISTS (SELECT 1 FROM quality_checks WHERE snapshot_id = $snapshot AND severity = 'unusable'
                         AND affects::VARCHAR LIKE '%"stuck-deals.stalled"%') AS usable
    ),
    thresholds AS (
      SELECT st.pipeline, st.stage,
             CASE WHEN v.visits >= $min_visits THEN v.p75_days ELSE $fallback_days END AS threshold_days
      FROM snapshot_stages st LEFT JOIN stage_visit_stats v ON v.snapshot_id = st.snapshot_id AND v.stage = st.stage
      WHERE st.snapshot_id = $snapshot
    ),
    current_visit AS (
      SELECT deal_id, stage, entered_at FROM stage_visits WHERE snapshot_id = $snapshot AND exited_at IS NULL
    ),
    d AS (
      SELECT d.* EXCLUDE (push_count), t.threshold_days, coalesce(d.push_count, 0) AS push_count,
             CASE WHEN u.usable THEN (epoch(s.as_of) - epoch(CASE WHEN cv.stage = d.stage THEN cv.entered_at ELSE d.last_stage_change_at END)) / 86400.0 END AS days_in_stage,
             s.as_of, s.has_activity
      FROM deal_states d
      CROSS JOIN s CROSS JOIN durations_usable u
      LEFT JOIN thresholds t ON t.pipeline = d.pipeline AND t.stage = d.stage
      LEFT JOIN current_visit cv ON cv.deal_id = d.deal_id
      WHERE d.snapshot_id = $snapshot AND NOT d.closed AND ${DEAL_FILTER}
    ),
    flagged AS (
      SELECT d.*, list_filter([
               CASE WHEN days_in_stage > threshold_days THEN 'stalled' END,
               CASE WHEN close_date < as_of::DATE THEN 'overdue' END,
               CASE WHEN push_count >= 2 THEN 'pushed' END,
               CASE WHEN has_activity AND last_activity_date < as_of::DATE - to_days($inactivity_days) THEN 'inactive' END
             ], r -> r IS NOT NULL) AS reasons
      FROM d
    ),
    stuck AS (SELECT * FROM flagged WHERE len(reasons) > 0)`;

function flaggedParams(f: Filters, settings: Settings) {
  return {
    snapshot: f.snapshot,
    ...dealFilterParams(f),
    min_visits: settings.stall_min_visits,
    fallback_days: settings.stall_threshold_days,
    inactivity_days: settings.inactivity_days
  };
}

/** The stuck deals, largest first: those with one reason when `reason` is given, the first `limit` when it is (the page), else all (the CSV). */
export function buildStuckDealsSql(f: Filters, settings: Settings) {
  const sql = `${FLAGGED}
    SELECT deal_id, name AS deal, coalesce(owner_name, owner_id) AS owner, stage, amount_corporate AS amount,
           strftime(close_date, '%Y-%m-%d') AS close_date, days_in_stage::DOUBLE AS days_in_stage, threshold_days::DOUBLE AS threshold_days,
           push_count, strftime(last_activity_date, '%Y-%m-%d') AS last_activity_date,
           array_to_string(reasons, ',') AS reasons
    FROM stuck
    WHERE $reason::VARCHAR IS NULL OR list_contains(reasons, $reason)
    ORDER BY amount DESC NULLS LAST, deal_id
    LIMIT $limit`;
  return { sql, params: { ...flaggedParams(f, settings), reason: f.reason ?? null, limit: f.limit ?? null } };
}

export interface StuckReasonRow {
  [key: string]: unknown;
  /** stalled, overdue, pushed, inactive; `any` counts every stuck deal once */
  reason: string;
  deals: number;
  amount: number;
}

export const STUCK_REASON_NAMES = ['stalled', 'overdue', 'pushed', 'inactive'] as const;

/** How many stuck deals (and how much amount) each reason hits, and all of them: the page's tiles without listing every deal. */
export function buildStuckReasonsSql(f: Filters, settings: Settings) {
  const sql = `${FLAGGED}
    SELECT r.reason, count(k.deal_id)::INTEGER AS deals, coalesce(sum(coalesce(k.amount_corporate, 0)), 0)::DOUBLE AS amount
    FROM (VALUES ('any', 0), ('stalled', 1), ('overdue', 2), ('pushed', 3), ('inactive', 4)) r(reason, position)
    LEFT JOIN stuck k ON r.reason = 'any' OR list_contains(k.reasons, r.reason)
    GROUP BY r.reason, r.position
    ORDER BY r.position`;
  return { sql, params: flaggedParams(f, settings) };
}

export const stuckDeals: Metric<StuckDealRow> = {
  name: 'stuck-deals',
  note:
    'Open deals at the snapshot date with every reason that applies. Stalled: days in the current stage visit above the stage’s threshold, the ' +
    'p75 of its completed visits when it has at least the minimum number, else the fallback days. Overdue: close date before the snapshot ' +
    'date. Pushed: close date moved later at least twice in the stage history. Inactive: last activity more than the inactivity days before the ' +
    'snapshot date (deals without an activity date are not flagged; not evaluated when the export has no activity column). Largest amount first.',
  accepts: ['owner', 'lead_source', 'type', 'pipeline', 'reason', 'limit'],
  async run(filters, { db, settings }) {
    const { sql, params } = buildStuckDealsSql(filters, settings);
    // reasons travel as one string: DuckDB's list values are slow to turn into JavaScript
    const rows = await db.query<StuckDealRow>(sql, params);
    return rows.map((r) => ({ ...r, reasons: (r.reasons as unknown as string).split(',') }));
  }
};

export const stuckReasons: Metric<StuckReasonRow> = {
  name: 'stuck-reasons',
  note: 'Per reason, the stuck deals it applies to and the sum of their amounts (a deal with several reasons counts under each); `any`: every stuck deal once. Reasons as in stuck-deals.',
  accepts: ['owner', 'lead_source', 'type', 'pipeline'],
  run(filters, { db, settings }) {
    const { sql, params } = buildStuckReasonsSql(filters, settings);
    return db.query<StuckReasonRow>(sql, params);
  }
};

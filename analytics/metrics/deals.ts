import type { Filters, Metric } from './metric';
import { DEAL_CHECK_WHERE, isDealCheck } from '../quality/checks';
import { DEAL_FILTER, dealFilterParams, furthestOpenStage, inPeriod, periodParams } from './sql';

export interface DealRow {
  [key: string]: unknown;
  deal_id: string;
  deal: string | null;
  account: string | null;
  owner: string | null;
  pipeline: string;
  stage: string;
  status: 'open' | 'won' | 'lost';
  forecast_category: string | null;
  amount: number | null;
  currency: string | null;
  probability: number | null;
  close_date: string | null;
  created_date: string | null;
  lead_source: string | null;
  type: string | null;
  last_activity_date: string | null;
}

/**
 * The deals behind a figure: the same filters as the metrics, plus stage, status and
 * forecast category, or the deals a data-quality check hits (its condition comes from
 * the checks' own list, never from the request).
 */
export function buildDealsSql(f: Filters) {
  const check = f.check && isDealCheck(f.check) ? DEAL_CHECK_WHERE[f.check] : 'true';
  const dateColumn = f.date_field === 'created' ? 'd.created_at' : 'd.close_date';
  const sql = `
    SELECT d.deal_id, d.name AS deal, d.account_name AS account, coalesce(d.owner_name, d.owner_id) AS owner, d.pipeline, d.stage,
           CASE WHEN d.won THEN 'won' WHEN d.closed THEN 'lost' ELSE 'open' END AS status,
           d.effective_forecast_category AS forecast_category, d.amount_corporate AS amount, d.currency,
           d.effective_probability AS probability, strftime(d.close_date, '%Y-%m-%d') AS close_date,
           strftime(d.created_at, '%Y-%m-%d') AS created_date, d.lead_source, d.type,
           strftime(d.last_activity_date, '%Y-%m-%d') AS last_activity_date
    FROM deal_states d
    WHERE d.snapshot_id = $snapshot AND ${inPeriod(dateColumn)} AND ${DEAL_FILTER}
      AND ($stage::VARCHAR IS NULL OR d.stage = $stage)
      AND ($reached::VARCHAR IS NULL OR d.won OR ${furthestOpenStage()} >= (
            SELECT min(t.sort_order) FROM snapshot_stages t WHERE t.snapshot_id = $snapshot AND t.pipeline = d.pipeline AND t.stage = $reached))
      AND ($furthest::VARCHAR IS NULL OR ${furthestOpenStage()} = (
            SELECT min(t.sort_order) FROM snapshot_stages t WHERE t.snapshot_id = $snapshot AND t.pipeline = d.pipeline AND t.stage = $furthest))
      AND ($forecast_category::VARCHAR IS NULL OR d.effective_forecast_category = $forecast_category)
      AND ${check}
      AND ($status::VARCHAR IS NULL
           OR ($status = 'open' AND NOT d.closed) OR ($status = 'won' AND d.won)
           OR ($status = 'lost' AND d.closed AND NOT d.won) OR ($status = 'closed' AND d.closed))
    ORDER BY d.amount_corporate DESC NULLS LAST, d.deal_id
    LIMIT 10000`;
  return {
    sql,
    params: {
      snapshot: f.snapshot,
      ...periodParams(f),
      ...dealFilterParams(f),
      stage: f.stage ?? null,
      reached: f.reached ?? null,
      furthest: f.furthest ?? null,
      forecast_category: f.forecast_category ?? null,
      status: f.status ?? null
    }
  };
}

export const deals: Metric<DealRow> = {
  name: 'deals',
  note:
    'The deals of the snapshot that match the filters, largest amount (corporate currency) first, at most 10,000. The period applies to the ' +
    'close date, or to the created date with date_field=created. Status: open, won, lost or closed. Reached: the deals the funnel counts as ' +
    'having reached that stage (the furthest open stage they visited is at or after it, or they were won; a deal none of whose open stages ' +
    'is known counts at the first). Furthest: the deals whose furthest open stage is that one (with status=lost, the funnel\'s lost after).',
  accepts: ['from', 'to', 'period', 'owner', 'lead_source', 'type', 'pipeline', 'stage', 'reached', 'furthest', 'check', 'status', 'forecast_category', 'date_field'],
  run(filters, { db }) {
    const { sql, params } = buildDealsSql(filters);
    return db.query<DealRow>(sql, params);
  }
};

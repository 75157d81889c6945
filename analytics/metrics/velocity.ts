import { fiscalQuarterOf, shiftQuarter } from '../fiscal';
import type { Settings } from '../settings';
import type { Filters, Metric } from './metric';
import { DEAL_FILTER, dealFilterParams, grouping, groupingClauses, ratio } from './sql';

export interface VelocityRow {
  [key: string]: unknown;
  window_from: string;
  window_to: string;
  open_deals: number;
  won: number;
  lost: number;
  win_rate_count: number | null;
  avg_won_amount: number | null;
  avg_cycle_days: number | null;
  velocity: number | null;
}

export function trailingWindow(asOf: string, settings: Settings) {
  const start = settings.fiscal_year_start_month;
  const current = fiscalQuarterOf(asOf, start);
  return { from: shiftQuarter(current, -4, start).from, to: shiftQuarter(current, -1, start).to };
}

export function buildVelocitySql(f: Filters, window: { from: string; to: string }) {
  const g = groupingClauses(grouping(f.by, ['owner', 'lead_source', 'type']));
  const closedIn = `d.closed AND d.close_date BETWEEN $window_from::DATE AND $window_to::DATE`;
  const sql = `
    WITH t AS (
      SELECT ${g.select}
             count(*) FILTER (WHERE NOT d.closed) AS open_deals,
             count(*) FILTER (WHERE d.won AND ${closedIn}) AS won,
             count(*) FILTER (WHERE NOT d.won AND ${closedIn}) AS lost,
             avg(coalesce(d.amount_corporate, 0)) FILTER (WHERE d.won AND ${closedIn}) AS avg_won_amount,
             avg(date_diff('day', d.created_at::DATE, d.close_date)) FILTER (WHERE d.won AND ${closedIn}) AS avg_cycle_days
      FROM deal_states d
      WHERE d.snapshot_id = $snapshot AND ${DEAL_FILTER}
      ${g.groupBy}
    )
    SELECT ${g.select ? `"${f.by}",` : ''}
           $window_from AS window_from, $window_to AS window_to,
           open_deals::INTEGER AS open_deals, won::INTEGER AS won, lost::INTEGER AS lost,
           ${ratio('won', 'won + lost')} AS win_rate_count,
           avg_won_amount::DOUBLE AS avg_won_amount, avg_cycle_days::DOUBLE AS avg_cycle_days,
           (open_deals * avg_won_amount * ${ratio('won', 'won + lost')} / nullif(avg_cycle_days, 0))::DOUBLE AS velocity
    FROM t
    ${g.orderBy}`;
  return { sql, params: { snapshot: f.snapshot, ...dealFilterParams(f), window_from: window.from, window_to: window.to } };
}

export const velocity: Metric<VelocityRow> = {
  name: 'velocity',
  note:
    'Sales velocity, revenue per day = open deals × average won amount × count win rate ÷ average sales cycle (days from creation to close of won ' +
    'deals). Open deals at the snapshot date; the other three over deals closed in the four complete fiscal quarters before the snapshot’s quarter. ' +
    '"–" when nothing was won there, and when the data-quality check close-before-created finds the cycle unusable (half or more of the won deals ' +
    'close before they were created) or the average comes out negative.',
  accepts: ['owner', 'lead_source', 'type', 'pipeline', 'by'],
  run(filters, { db, settings, asOf }) {
    const { sql, params } = buildVelocitySql(filters, trailingWindow(asOf, settings));
    return db.query<VelocityRow>(sql, params);
  }
};

import { fiscalQuarterOf, shiftQuarter } from '../fiscal';
import type { Metric } from './metric';

export interface OverviewRow {
  [key: string]: unknown;
  as_of: string;
  corporate_currency: string | null;
  open_count: number;
  open_amount: number;
  quarter: string;
  quarter_from: string;
  quarter_to: string;
  closed_won_count: number;
  closed_won_amount: number;
  win_rate_from: string;
  win_rate_to: string;
  won: number;
  lost: number;
  win_rate_count: number | null;
}

/**
 * The overview's headline figures for one snapshot. "This quarter" and the trailing
 * four quarters are relative to the snapshot's as_of, not today, so an old snapshot
 * shows what it showed then.
 */
export const OVERVIEW_SQL = `
  WITH d AS (SELECT * FROM deal_states WHERE snapshot_id = $snapshot)
  SELECT
    (SELECT strftime(as_of, '%Y-%m-%dT%H:%M:%SZ') FROM snapshots WHERE snapshot_id = $snapshot) AS as_of,
    (SELECT corporate_currency FROM snapshots WHERE snapshot_id = $snapshot) AS corporate_currency,
    count(*) FILTER (WHERE NOT closed)::INTEGER AS open_count,
    coalesce(sum(coalesce(amount_corporate, 0)) FILTER (WHERE NOT closed), 0)::DOUBLE AS open_amount,
    count(*) FILTER (WHERE won AND close_date BETWEEN $quarter_from::DATE AND $quarter_to::DATE)::INTEGER AS closed_won_count,
    coalesce(sum(coalesce(amount_corporate, 0)) FILTER (WHERE won AND close_date BETWEEN $quarter_from::DATE AND $quarter_to::DATE), 0)::DOUBLE AS closed_won_amount,
    count(*) FILTER (WHERE won AND close_date BETWEEN $trailing_from::DATE AND $trailing_to::DATE)::INTEGER AS won,
    count(*) FILTER (WHERE closed AND NOT won AND close_date BETWEEN $trailing_from::DATE AND $trailing_to::DATE)::INTEGER AS lost
  FROM d`;

/** One note per figure, for the page; the metric's note joins them. */
export const OVERVIEW_NOTES = {
  open_pipeline:
    'Every deal whose stage is not closed at the snapshot date (Omitted deals included): how many, and the sum of their amounts in the corporate currency; a missing amount counts as 0.',
  closed_won:
    'Won deals whose close date falls in the fiscal quarter that contains the snapshot date: the sum of their amounts in the corporate currency.',
  win_rate:
    'Won ÷ (won + lost), counting deals, over deals whose close date falls in the four complete fiscal quarters before the snapshot’s quarter; "–" when none closed.'
};

export const overview: Metric<OverviewRow> = {
  name: 'overview',
  note: `Open pipeline: ${OVERVIEW_NOTES.open_pipeline} Closed won this quarter: ${OVERVIEW_NOTES.closed_won} Win rate: ${OVERVIEW_NOTES.win_rate}`,
  accepts: [],
  async run(filters, { db, settings, asOf }) {
    const start = settings.fiscal_year_start_month;
    const quarter = fiscalQuarterOf(asOf, start);
    const trailingFrom = shiftQuarter(quarter, -4, start);
    const trailingTo = shiftQuarter(quarter, -1, start);
    const [row] = await db.query<{
      as_of: string;
      corporate_currency: string | null;
      open_count: number;
      open_amount: number;
      closed_won_count: number;
      closed_won_amount: number;
      won: number;
      lost: number;
    }>(
      OVERVIEW_SQL,
      {
        snapshot: filters.snapshot,
        quarter_from: quarter.from,
        quarter_to: quarter.to,
        trailing_from: trailingFrom.from,
        trailing_to: trailingTo.to
      }
    );
    const closed = row.won + row.lost;
    return [
      {
        as_of: row.as_of,
        corporate_currency: row.corporate_currency,
        open_count: row.open_count,
        open_amount: row.open_amount,
        quarter: quarter.label,
        quarter_from: quarter.from,
        quarter_to: quarter.to,
        closed_won_count: row.closed_won_count,
        closed_won_amount: row.closed_won_amount,
        win_rate_from: trailingFrom.from,
        win_rate_to: trailingTo.to,
        won: row.won,
        lost: row.lost,
        win_rate_count: closed ? row.won / closed : null
      }
    ];
  }
};

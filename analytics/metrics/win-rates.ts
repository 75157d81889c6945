import type { Settings } from '../settings';
import type { Filters, Metric } from './metric';
import { DEAL_FILTER, dealFilterParams, fiscalShift, grouping, groupingClauses, inPeriod, periodParams, ratio } from './sql';

export interface WinRateRow {
  [key: string]: unknown;
  won: number;
  lost: number;
  closed: number;
  win_rate_count: number | null;
  won_amount: number;
  lost_amount: number;
  win_rate_amount: number | null;
}

export function buildWinRatesSql(f: Filters, settings: Settings) {
  const g = groupingClauses(grouping(f.by, ['owner', 'lead_source', 'type', 'quarter']));
  const sql = `
    SELECT ${g.select}
           count(*) FILTER (WHERE d.won)::INTEGER AS won,
           count(*) FILTER (WHERE NOT d.won)::INTEGER AS lost,
           count(*)::INTEGER AS closed,
           ${ratio('count(*) FILTER (WHERE d.won)', 'count(*)')} AS win_rate_count,
           coalesce(sum(coalesce(d.amount_corporate, 0)) FILTER (WHERE d.won), 0)::DOUBLE AS won_amount,
           coalesce(sum(coalesce(d.amount_corporate, 0)) FILTER (WHERE NOT d.won), 0)::DOUBLE AS lost_amount,
           ${ratio('coalesce(sum(coalesce(d.amount_corporate, 0)) FILTER (WHERE d.won), 0)', 'sum(coalesce(d.amount_corporate, 0))')} AS win_rate_amount
    FROM deal_states d
    WHERE d.snapshot_id = $snapshot AND d.closed AND ${inPeriod('d.close_date')} AND ${DEAL_FILTER}
    ${g.groupBy}
    ${g.orderBy}`;
  return {
    sql,
    params: { snapshot: f.snapshot, ...periodParams(f), ...dealFilterParams(f), ...(f.by === 'quarter' ? { fiscal_shift: fiscalShift(settings.fiscal_year_start_month) } : {}) }
  };
}

export const winRates: Metric<WinRateRow> = {
  name: 'win-rates',
  note:
    'Over deals closed in the period (close date from..to, inclusive; all closed deals when no period): count win rate = won ÷ (won + lost); ' +
    'amount win rate = won amount ÷ (won + lost amount), in the corporate currency, a missing amount counting as 0. "–" when nothing closed, ' +
    'and the amount rate "–" when every lost deal is at 0 while won deals have amounts (data-quality check lost-zero-amounts: the rate would be a 100% artefact).',
  accepts: ['from', 'to', 'period', 'owner', 'lead_source', 'type', 'pipeline', 'by'],
  async run(filters, { db, settings }) {
    const { sql, params } = buildWinRatesSql(filters, settings);
    return db.query<WinRateRow>(sql, params);
  }
};

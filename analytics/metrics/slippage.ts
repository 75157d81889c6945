import type { Filters, Metric, MetricContext } from './metric';
import { DEAL_FILTER, dealFilterParams, fiscalQuarterSql, fiscalShift } from './sql';

export interface SlippageRow {
  [key: string]: unknown;
  deal_id: string;
  deal: string | null;
  owner: string | null;
  stage: string;
  status: string;
  amount: number | null;
  first_close_date: string;
  close_date: string | null;
  push_count: number;
  slip_days: number;
}

/** Close-date moves from the stage history: each row whose close date is later than the previous row's is a push. */
export const PUSHES_SQL = `
  WITH moves AS (
    SELECT deal_id, seq, close_date, amount_corporate,
           lag(close_date) OVER (PARTITION BY deal_id ORDER BY seq) AS previous_close,
           first_value(close_date) OVER (PARTITION BY deal_id ORDER BY seq) AS first_close
    FROM stage_events WHERE snapshot_id = $snapshot AND close_date IS NOT NULL
  ),
  pushes AS (SELECT * FROM moves WHERE close_date > previous_close)`;

export function buildSlippageSql(f: Filters) {
  const sql = `${PUSHES_SQL}
    SELECT d.deal_id, d.name AS deal, coalesce(d.owner_name, d.owner_id) AS owner, d.stage,
           CASE WHEN d.won THEN 'won' WHEN d.closed THEN 'lost' ELSE 'open' END AS status,
           d.amount_corporate AS amount, strftime(any_value(p.first_close), '%Y-%m-%d') AS first_close_date,
           strftime(d.close_date, '%Y-%m-%d') AS close_date, count(*)::INTEGER AS push_count,
           sum(date_diff('day', p.previous_close, p.close_date))::INTEGER AS slip_days
    FROM pushes p JOIN deal_states d ON d.snapshot_id = $snapshot AND d.deal_id = p.deal_id
    WHERE ${DEAL_FILTER}
    GROUP BY ALL
    ORDER BY slip_days DESC, amount DESC NULLS LAST, d.deal_id`;
  return { sql, params: { snapshot: f.snapshot, ...dealFilterParams(f) } };
}

export const slippage: Metric<SlippageRow> = {
  name: 'slippage',
  note:
    'Deals whose close date was moved later, from the stage history (the export’s, else the differences between snapshots, to the snapshot interval): pushes = history rows whose close date is later than the ' +
    'previous row’s; slip days = the days those pushes added up to; first and current close date. Most slipped first.',
  accepts: ['owner', 'lead_source', 'type', 'pipeline'],
  run(filters, { db }) {
    const { sql, params } = buildSlippageSql(filters);
    return db.query<SlippageRow>(sql, params);
  }
};

export interface SlippedAmountRow {
  [key: string]: unknown;
  quarter: string;
  deals: number;
  slipped_amount: number;
}

export function buildSlippedAmountSql(f: Filters, ctx: Pick<MetricContext, 'settings'>) {
  const sql = `${PUSHES_SQL},
    out_of_quarter AS (
      SELECT deal_id, ${fiscalQuarterSql('previous_close')} AS quarter, amount_corporate,
             row_number() OVER (PARTITION BY deal_id, ${fiscalQuarterSql('previous_close')} ORDER BY seq) AS nth
      FROM pushes WHERE ${fiscalQuarterSql('previous_close')} <> ${fiscalQuarterSql('close_date')}
    )
    SELECT o.quarter, count(*)::INTEGER AS deals, coalesce(sum(coalesce(o.amount_corporate, d.amount_corporate, 0)), 0)::DOUBLE AS slipped_amount
    FROM out_of_quarter o JOIN deal_states d ON d.snapshot_id = $snapshot AND d.deal_id = o.deal_id
    WHERE o.nth = 1 AND ${DEAL_FILTER}
    GROUP BY o.quarter ORDER BY o.quarter`;
  return { sql, params: { snapshot: f.snapshot, ...dealFilterParams(f), fiscal_shift: fiscalShift(ctx.settings.fiscal_year_start_month) } };
}

export const slippedAmount: Metric<SlippedAmountRow> = {
  name: 'slipped-amount',
  note:
    'Per fiscal quarter, the deals whose close date was pushed out of it to a later quarter (each deal once per quarter) and their amount at ' +
    'the time of that push, in the corporate currency, from the stage history (the export’s, else the differences between snapshots).',
  accepts: ['owner', 'lead_source', 'type', 'pipeline'],
  run(filters, ctx) {
    const { sql, params } = buildSlippedAmountSql(filters, ctx);
    return ctx.db.query<SlippedAmountRow>(sql, params);
  }
};

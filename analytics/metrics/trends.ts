import { BadParameterError } from '../errors';
import type { Filters, Metric } from './metric';
import { DEAL_FILTER, dealFilterParams } from './sql';

export interface TrendRow {
  [key: string]: unknown;
  snapshot_id: number;
  as_of: string;
  open_count: number;
  open_amount: number;
}

/**
 * Open pipeline in every snapshot up to the chosen one, by stage (in stage order) or by
 * forecast category: how the pipeline has grown, shrunk and moved.
 */
export function buildTrendsSql(f: Filters) {
  const by = f.by ?? 'stage';
  if (by !== 'stage' && by !== 'forecast_category') throw new BadParameterError('by', 'stage or forecast_category');
  const group = by === 'stage' ? 'd.stage' : 'd.effective_forecast_category';
  const sql = `
    SELECT s.snapshot_id, strftime(s.as_of, '%Y-%m-%dT%H:%M:%SZ') AS as_of, ${group} AS "${by}",
           count(*)::INTEGER AS open_count, coalesce(sum(coalesce(d.amount_corporate, 0)), 0)::DOUBLE AS open_amount
    FROM snapshots s JOIN deal_states d ON d.snapshot_id = s.snapshot_id
    WHERE s.as_of <= (SELECT as_of FROM snapshots WHERE snapshot_id = $snapshot) AND NOT d.closed AND ${DEAL_FILTER}
    GROUP BY s.snapshot_id, s.as_of, ${group}
    ORDER BY s.as_of, s.snapshot_id, min(d.stage_order), "${by}"`;
  return { sql, params: { snapshot: f.snapshot, ...dealFilterParams(f) } };
}

export const trends: Metric<TrendRow> = {
  name: 'trends',
  note:
    'Open deals (count and amount in the corporate currency) in every snapshot taken up to the chosen one, per stage or, with by=forecast_category, ' +
    'per forecast category (the deal’s own, else its stage’s).',
  accepts: ['owner', 'lead_source', 'type', 'pipeline', 'by'],
  run(filters, { db }) {
    const { sql, params } = buildTrendsSql(filters);
    return db.query<TrendRow>(sql, params);
  }
};

import { BadParameterError } from '../errors';
import type { Metric } from './metric';
import { BUCKETED_DEALS_SQL, BUCKETS, comparisonParams } from './pipeline-changes';

export interface PipelineChangeDealRow {
  [key: string]: unknown;
  deal_id: string;
  deal: string | null;
  owner: string | null;
  bucket: string;
  stage_a: string | null;
  stage_b: string | null;
  close_date_a: string | null;
  close_date_b: string | null;
  amount_a: number;
  amount_b: number;
  amount: number;
}

/** The deals behind one bucket of the waterfall (start and end: the open deals of the period at A, at B). */
export const PIPELINE_CHANGE_DEALS_SQL = `
  ${BUCKETED_DEALS_SQL}
  SELECT deal_id, deal, owner, CASE WHEN $bucket IN ('start', 'end') THEN $bucket ELSE bucket END AS bucket,
         stage_a, stage_b, strftime(close_date_a, '%Y-%m-%d') AS close_date_a, strftime(close_date_b, '%Y-%m-%d') AS close_date_b,
         amount_a::DOUBLE AS amount_a, amount_b::DOUBLE AS amount_b,
         (CASE WHEN $bucket = 'start' THEN amount_a
               WHEN $bucket = 'end' THEN amount_b
               WHEN bucket IN ('new', 'reopened', 'pulled_in') THEN amount_b
               WHEN bucket IN ('increased', 'decreased') THEN abs(amount_b - amount_a)
               ELSE amount_a END)::DOUBLE AS amount
  FROM bucketed
  WHERE ($bucket = 'start' AND in_p_a) OR ($bucket = 'end' AND in_p_b) OR bucket = $bucket
  ORDER BY amount DESC, deal_id`;

export const pipelineChangeDeals: Metric<PipelineChangeDealRow> = {
  name: 'pipeline-change-deals',
  note:
    'The deals behind one bucket of the pipeline-changes waterfall between snapshot A (base) and B, for the same period and filters, with ' +
    'each deal’s stage, close date and amount at A and at B; amount is what the deal adds to the bucket.',
  accepts: ['base', 'bucket', 'from', 'to', 'period', 'owner', 'lead_source', 'type', 'pipeline'],
  async run(filters, ctx) {
    if (!filters.bucket) throw new BadParameterError('bucket', `one of ${BUCKETS.join(', ')}`);
    return ctx.db.query<PipelineChangeDealRow>(PIPELINE_CHANGE_DEALS_SQL, { ...(await comparisonParams(filters, ctx)), bucket: filters.bucket });
  }
};

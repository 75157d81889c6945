import type { Metric } from './metric';

export interface OpenPipelineRow {
  [key: string]: unknown;
  stage: string;
  sort_order: number;
  forecast_category: string | null;
  open_count: number;
  open_amount: number;
}

/**
 * Every open stage of the snapshot in stage order, including stages with no deal now.
 * A deal closed by its status (Pipedrive) may sit in an open stage: it is not counted.
 */
export const OPEN_PIPELINE_SQL = `
  SELECT s.stage, s.sort_order::INTEGER AS sort_order, s.forecast_category,
         count(d.deal_id)::INTEGER AS open_count,
         coalesce(sum(coalesce(d.amount_corporate, 0)), 0)::DOUBLE AS open_amount
  FROM snapshot_stages s
  LEFT JOIN deal_states d ON d.snapshot_id = s.snapshot_id AND d.pipeline = s.pipeline AND d.stage = s.stage AND NOT d.closed
  WHERE s.snapshot_id = $snapshot AND NOT s.is_closed AND ($pipeline::VARCHAR IS NULL OR s.pipeline = $pipeline)
  GROUP BY s.stage, s.sort_order, s.forecast_category
  ORDER BY s.sort_order, s.stage`;

export const openPipeline: Metric<OpenPipelineRow> = {
  name: 'open-pipeline',
  note: 'Open deals at the snapshot date per open stage, in stage order: count, and sum of amounts in the corporate currency (a missing amount counts as 0).',
  accepts: ['pipeline'],
  run: (filters, { db }) => db.query<OpenPipelineRow>(OPEN_PIPELINE_SQL, { snapshot: filters.snapshot, pipeline: filters.pipeline ?? null })
};

import type { Database, Row } from '../db';
import type { Settings } from '../settings';

/** Filters every metric understands; a metric lists which ones it accepts. */
export interface Filters {
  snapshot: number;
  from?: string;
  to?: string;
  owner?: string;
  lead_source?: string;
  type?: string;
  pipeline?: string;
  by?: string;
  /** pipeline-changes: the earlier snapshot; pipeline-change-deals: the bucket listed */
  base?: number;
  bucket?: string;
  /** deals (drill-down): narrow to one stage, status, forecast category; which date the period applies to */
  stage?: string;
  /** deals: those the funnel counts as having reached this stage */
  reached?: string;
  /** deals: those whose furthest open stage is this one (the funnel's lost after, with status lost) */
  furthest?: string;
  /** stuck-deals: only those with this reason */
  reason?: string;
  /** stuck-deals: the first rows only (the page; the CSV takes all) */
  limit?: number;
  /** deals: those a data-quality check hits (a deal-level check's id) */
  check?: string;
  status?: 'open' | 'won' | 'lost' | 'closed';
  forecast_category?: string;
  date_field?: 'close' | 'created';
}

export type FilterName = Exclude<keyof Filters, 'snapshot'> | 'period';

export interface MetricContext {
  db: Database;
  settings: Settings;
  /** as_of of the snapshot, ISO timestamp. */
  asOf: string;
}

export interface Metric<R extends Row = Row> {
  name: string;
  /** Plain-language formula note, shown beside the figure. */
  note: string;
  accepts: FilterName[];
  run(filters: Filters, ctx: MetricContext): Promise<R[]>;
}

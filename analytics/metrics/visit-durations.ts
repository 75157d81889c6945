/**
 * The raw durations of completed stage visits, for the distribution plot of the Stage
 * durations page (the stage-durations metric gives only their statistics). Same visits
 * and filters as that metric: completed visits (with an exit) of the filtered deals that
 * began in the period. Values travel as parameters; the filter SQL is the engine's.
 */
import type { Database } from '../db';
import { BadParameterError } from '../errors';
import { isCalendarDate } from '../value-range';
import type { Filters } from './metric';
import { DEAL_FILTER, dealFilterParams, inPeriod, periodParams } from './sql';

export type VisitFilters = Pick<Filters, 'from' | 'to' | 'owner' | 'lead_source' | 'type' | 'pipeline'>;

export interface StageVisits {
  stage: string;
  is_closed: boolean;
  /** completed visit durations in days, one decimal, ascending */
  days: number[];
}

export const VISIT_DURATIONS_SQL = `
  WITH d AS (SELECT * FROM deal_states d WHERE d.snapshot_id = $snapshot AND ${DEAL_FILTER}),
  v AS (
    SELECT v.stage, d.pipeline, round((epoch(v.exited_at) - epoch(v.entered_at)) / 86400.0, 1)::DOUBLE AS days
    FROM stage_visits v JOIN d ON d.deal_id = v.deal_id
    WHERE v.snapshot_id = $snapshot AND v.exited_at IS NOT NULL AND ${inPeriod('v.entered_at')}
  )
  SELECT st.stage, bool_or(coalesce(st.is_closed, false)) AS is_closed, list(v.days ORDER BY v.days) FILTER (WHERE v.days IS NOT NULL) AS days
  FROM snapshot_stages st LEFT JOIN v ON v.pipeline = st.pipeline AND v.stage = st.stage
  WHERE st.snapshot_id = $snapshot AND ($pipeline::VARCHAR IS NULL OR st.pipeline = $pipeline)
  GROUP BY st.stage`;

export async function visitDurations(db: Database, snapshot: number, f: VisitFilters): Promise<StageVisits[]> {
  for (const key of ['from', 'to'] as const) {
    if (f[key] !== undefined && !isCalendarDate(f[key])) throw new BadParameterError(key, 'a date YYYY-MM-DD the calendar has');
  }
  const filters = { snapshot, ...f };
  const params = { snapshot, ...periodParams(filters), ...dealFilterParams(filters) };
  const rows = await db.query<{ stage: string; is_closed: boolean; days: number[] | null }>(VISIT_DURATIONS_SQL, params);
  return rows.map((r) => ({ stage: r.stage, is_closed: r.is_closed, days: (r.days ?? []).map(Number) }));
}

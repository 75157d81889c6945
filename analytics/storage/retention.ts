import type { Database } from '../db';
import { DEFAULT_SETTINGS, type Settings } from '../settings';
import { deleteSnapshots } from './snapshots';

/**
 * Retention: snapshots thin out with age, counted back from the latest snapshot (not the
 * clock, so the same database always prunes the same way). Up to `daily_days` old: the
 * latest of each day; up to `weekly_days`: the latest of each ISO week; up to
 * `monthly_days`: the latest of each month; older: the latest of each calendar quarter.
 * Each kept snapshot is left exactly as it was, so its own figures do not change; what
 * compares snapshots (pipeline-changes, trends, forecast accuracy) sees fewer of them.
 */
export interface RetentionPolicy {
  daily_days: number;
  weekly_days: number;
  monthly_days: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = DEFAULT_SETTINGS.retention;

export interface PrunePlan {
  policy: RetentionPolicy;
  keep: number[];
  remove: number[];
}

export async function planPrune(db: Database, policy: RetentionPolicy = DEFAULT_RETENTION): Promise<PrunePlan> {
  const rows = await db.query<{ snapshot_id: number; keep: boolean }>(
    `WITH s AS (
       SELECT snapshot_id, as_of, date_diff('day', as_of::DATE, (SELECT max(as_of) FROM snapshots)::DATE) AS age FROM snapshots
     ),
     bucketed AS (
       SELECT snapshot_id, as_of,
              CASE WHEN age <= $daily THEN 'd' || strftime(as_of, '%Y-%m-%d')
                   WHEN age <= $weekly THEN 'w' || strftime(as_of, '%G-%V')
                   WHEN age <= $monthly THEN 'm' || strftime(as_of, '%Y-%m')
                   ELSE 'q' || year(as_of) || '-' || quarter(as_of) END AS bucket
       FROM s
     )
     SELECT snapshot_id, row_number() OVER (PARTITION BY bucket ORDER BY as_of DESC, snapshot_id DESC) = 1 AS keep
     FROM bucketed ORDER BY snapshot_id`,
    { daily: policy.daily_days, weekly: policy.weekly_days, monthly: policy.monthly_days }
  );
  return { policy, keep: rows.filter((r) => r.keep).map((r) => r.snapshot_id), remove: rows.filter((r) => !r.keep).map((r) => r.snapshot_id) };
}

/** Applies the plan in one transaction (or only plans, with dryRun). */
export async function prune(db: Database, settings: Pick<Settings, 'retention'>, opts: { dryRun?: boolean } = {}): Promise<PrunePlan> {
  const plan = await planPrune(db, settings.retention);
  if (!opts.dryRun && plan.remove.length) await deleteSnapshots(db, plan.remove);
  return plan;
}

import type { DuckDBConnection } from '@duckdb/node-api';
import { insertStageVisitStatsSql, insertStageVisitsSql, updatePushCountsSql, updateVisitedMasksSql } from './schema';
import { deriveStages, type StageHints } from './stages';

/**
 * Stage events for snapshots whose export had no stage history (reports, and later
 * Pipedrive or mapped CSVs): the differences between consecutive snapshots. A deal gets
 * an event at the as_of of the first snapshot that shows it and of every later one in
 * which its stage, close date or amount differs from the snapshot before, so durations
 * have the resolution of the snapshot interval. Exports with a history keep their own.
 *
 * A snapshot's events depend on every earlier snapshot, so loading one rebuilds the
 * events of the history-less snapshots from its date on: snapshots may arrive in any
 * order and give the same answers. Deleting one does not rebuild (see deleteSnapshots).
 */
const SNAPSHOT_EVENTS_SQL = `
  INSERT INTO stage_events
  WITH chain AS (
    SELECT d.deal_id, s.as_of, s.snapshot_id AS seen_in, d.stage, d.amount, d.amount_corporate, d.close_date, d.probability, d.forecast_category,
           lag(d.stage) OVER seen AS previous_stage, lag(d.close_date) OVER seen AS previous_close, lag(d.amount) OVER seen AS previous_amount,
           row_number() OVER seen AS nth
    FROM deals d JOIN snapshots s ON s.snapshot_id = d.snapshot_id
    WHERE s.as_of <= (SELECT as_of FROM snapshots WHERE snapshot_id = $snapshot)
      AND d.deal_id IN (SELECT deal_id FROM deals WHERE snapshot_id = $snapshot)
    WINDOW seen AS (PARTITION BY d.deal_id ORDER BY s.as_of, s.snapshot_id)
  )
  SELECT $snapshot, deal_id, row_number() OVER (PARTITION BY deal_id ORDER BY as_of, seen_in)::INTEGER, as_of, stage,
         amount, amount_corporate, close_date, probability, forecast_category, 'snapshots'
  FROM chain
  WHERE nth = 1 OR stage IS DISTINCT FROM previous_stage OR close_date IS DISTINCT FROM previous_close OR amount IS DISTINCT FROM previous_amount`;

/** Rebuilds events, visits and what derives from them for history-less snapshots taken at or after `from`. */
export async function rebuildSnapshotEvents(conn: DuckDBConnection, from: string): Promise<number[]> {
  const reader = await conn.runAndReadAll(
    `SELECT snapshot_id FROM snapshots WHERE NOT has_history AND as_of >= $from::TIMESTAMP ORDER BY as_of`,
    { from }
  );
  const targets = reader.getRowObjectsJS().map((r) => Number(r.snapshot_id));
  for (const snapshot of targets) {
    for (const table of ['stage_events', 'stage_visits', 'stage_visit_stats']) {
      await conn.run(`DELETE FROM ${table} WHERE snapshot_id = $snapshot`, { snapshot });
    }
    await conn.run(`UPDATE deals SET visited_mask = NULL, push_count = 0 WHERE snapshot_id = $snapshot`, { snapshot });
    await conn.run(SNAPSHOT_EVENTS_SQL, { snapshot });
    await restage(conn, snapshot);
    await conn.run(insertStageVisitsSql('snapshot_id = $snapshot'), { snapshot });
    await conn.run(insertStageVisitStatsSql('snapshot_id = $snapshot'), { snapshot });
    await conn.run(updateVisitedMasksSql('snapshot_id = $snapshot'), { snapshot });
    await conn.run(updatePushCountsSql('snapshot_id = $snapshot'), { snapshot });
  }
  return targets;
}

/**
 * The snapshot's stage list once its events name stages its own deals no longer show
 * (a deal seen in Prospecting last week): each stage with its latest settings among the
 * snapshots up to this one, ordered as deriveStages orders a report's stages.
 */
async function restage(conn: DuckDBConnection, snapshot: number) {
  const reader = await conn.runAndReadAll(
    `WITH names AS (
       SELECT stage FROM stage_events WHERE snapshot_id = $snapshot UNION SELECT stage FROM deals WHERE snapshot_id = $snapshot
     ),
     known AS (
       SELECT st.stage, st.probability, st.forecast_category, st.is_closed, st.is_won, st.origin
       FROM stages st JOIN snapshots s ON s.snapshot_id = st.snapshot_id
       WHERE s.as_of <= (SELECT as_of FROM snapshots WHERE snapshot_id = $snapshot)
       QUALIFY row_number() OVER (PARTITION BY st.stage ORDER BY st.snapshot_id = $snapshot DESC, s.as_of DESC) = 1
     )
     SELECT n.stage, k.probability, k.forecast_category, k.is_closed, k.is_won,
            (SELECT count(*) FROM stages WHERE snapshot_id = $snapshot AND stage = n.stage) > 0 AS own
     FROM names n LEFT JOIN known k ON k.stage = n.stage`,
    { snapshot }
  );
  const rows = reader.getRowObjectsJS() as { stage: string; probability: number | null; forecast_category: string | null; is_closed: boolean | null; is_won: boolean | null; own: boolean }[];
  if (rows.every((r) => r.own)) return;
  const hints = new Map<string, StageHints>(
    rows.map((r) => [r.stage, { probability: r.probability ?? undefined, forecast_category: r.forecast_category ?? undefined, is_closed: r.is_closed ?? undefined, is_won: r.is_won ?? undefined }])
  );
  const stages = deriveStages(rows.map((r) => r.stage), [{ origin: 'earlier-snapshots', hints }]);
  await conn.run(`DELETE FROM stages WHERE snapshot_id = $snapshot`, { snapshot });
  for (const [bit, st] of stages.entries()) {
    await conn.run(
      `INSERT INTO stages (snapshot_id, pipeline, stage, sort_order, probability, forecast_category, is_closed, is_won, origin, stage_bit)
       VALUES ($snapshot, 'default', $stage, $sort_order, $probability, $fc, $closed, $won, $origin, $bit)`,
      { snapshot, stage: st.stage, sort_order: st.sort_order, probability: st.probability, fc: st.forecast_category, closed: st.is_closed, won: st.is_won, origin: st.origin, bit }
    );
  }
}

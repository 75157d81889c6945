import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../db';
import { insertStageVisitStatsSql, insertStageVisitsSql, ONE_SNAPSHOT, updatePushCountsSql, updateVisitedMasksSql } from './schema';
import { deriveStages, STANDARD_STAGES, type StageHints, type StageSetting } from '../stages';
import { storedRowsAt, storeSnapshotRows, VERSIONED } from './versions';

/**
 * One snapshot's deals and stage events are staged in temp tables (snap_deals,
 * snap_events), then its visits, visit statistics, push counts and visited-stage masks
 * are derived from them and everything is stored as versions (versions.ts).
 */
export async function createSnapshotTables(conn: DuckDBConnection): Promise<void> {
  for (const [temp, t] of [['snap_deals', VERSIONED.deals], ['snap_events', VERSIONED.stage_events], ['snap_visits', VERSIONED.stage_visits]] as const) {
    await conn.run(`CREATE OR REPLACE TEMP TABLE ${temp} AS SELECT ${t.columns.join(', ')} FROM ${t.table} LIMIT 0`);
  }
}

export async function storeDealsAndEvents(conn: DuckDBConnection, snapshot: number, position: bigint): Promise<void> {
  const at = { snapshot };
  await conn.run(`UPDATE snap_deals SET visited_mask = NULL, push_count = 0`);
  await conn.run(`DELETE FROM snap_visits`);
  await conn.run(insertStageVisitsSql(ONE_SNAPSHOT));
  await conn.run(updatePushCountsSql(ONE_SNAPSHOT));
  await conn.run(updateVisitedMasksSql(ONE_SNAPSHOT), at);
  await storeSnapshotRows(conn, VERSIONED.deals, 'snap_deals', position);
  await storeSnapshotRows(conn, VERSIONED.stage_events, 'snap_events', position);
  await storeSnapshotRows(conn, VERSIONED.stage_visits, 'snap_visits', position);
  await conn.run(`DELETE FROM stage_visit_stats WHERE snapshot_id = $snapshot`, at);
  await conn.run(insertStageVisitStatsSql('snapshot_id = $snapshot'), at);
}

/**
 * Stage events for a snapshot whose export had no stage history (reports, and later
 * Pipedrive or mapped CSVs): the differences between the states its deals had in the
 * snapshots up to it. A deal gets an event at the as_of of the first snapshot that shows
 * it and of every later one in which its stage, close date or amount differs from the
 * state before, so durations have the resolution of the snapshot interval.
 *
 * When an earlier snapshot had a stage history, that history wins for the time it
 * covers: a deal keeps the events of the latest such snapshot that holds it, and gets
 * snapshot events only after that snapshot. The states come from the stored versions (each starts at the position
 * of the snapshot that first showed it) plus the snapshot's own, in snap_deals.
 */
const SNAPSHOT_EVENTS_SQL = `
  INSERT INTO snap_events
  WITH known AS (
    -- per deal, the events of the latest earlier snapshot whose stage history holds it
    SELECT r.*, s.position AS known_at
    FROM stage_event_rows r
    JOIN snapshots s ON s.has_history AND s.position < $position AND s.position >= r.valid_from AND s.position < coalesce(r.valid_to, 9223372036854775807)
    WHERE r.deal_id IN (SELECT deal_id FROM snap_deals)
    QUALIFY s.position = max(s.position) OVER (PARTITION BY r.deal_id)
  ),
  known_until AS (SELECT deal_id, max(known_at) AS known_at FROM known GROUP BY deal_id),
  states AS (
    SELECT deal_id, valid_from AS position, stage, amount, amount_corporate, close_date, probability, forecast_category
    FROM deal_rows WHERE valid_from < $position AND deal_id IN (SELECT deal_id FROM snap_deals)
    UNION ALL
    SELECT deal_id, $position::BIGINT, stage, amount, amount_corporate, close_date, probability, forecast_category FROM snap_deals
  ),
  chain AS (
    SELECT *, lag(stage) OVER seen AS previous_stage, lag(close_date) OVER seen AS previous_close,
           lag(amount) OVER seen AS previous_amount, row_number() OVER seen AS nth
    FROM states
    WINDOW seen AS (PARTITION BY deal_id ORDER BY position)
  ),
  changes AS (
    SELECT c.* FROM chain c LEFT JOIN known_until k USING (deal_id)
    WHERE (nth = 1 OR stage IS DISTINCT FROM previous_stage OR close_date IS DISTINCT FROM previous_close OR amount IS DISTINCT FROM previous_amount)
      AND c.position > coalesce(k.known_at, -9223372036854775808)
  )
  SELECT deal_id, row_number() OVER (PARTITION BY deal_id ORDER BY part, ord)::INTEGER, event_at, stage,
         amount, amount_corporate, close_date, probability, forecast_category, origin
  FROM (
    SELECT deal_id, 0 AS part, seq AS ord, event_at, stage, amount, amount_corporate, close_date, probability, forecast_category, origin FROM known
    UNION ALL
    SELECT deal_id, 1, position, make_timestamp(position // 1000), stage, amount, amount_corporate, close_date, probability, forecast_category, 'snapshots'
    FROM changes
  )`;

/** Derives and stores a history-less snapshot's events and what follows from them; snap_deals holds its deals. */
export async function storeWithSnapshotEvents(conn: DuckDBConnection, snapshot: number, position: bigint): Promise<void> {
  await conn.run(`DELETE FROM snap_events`);
  await conn.run(SNAPSHOT_EVENTS_SQL, { position });
  await restage(conn, snapshot);
  await storeDealsAndEvents(conn, snapshot, position);
}

/**
 * A snapshot's events depend on every earlier snapshot, so loading one rebuilds the
 * events of the history-less snapshots after it: snapshots may arrive in any order and
 * give the same answers. Deleting one does not rebuild (see deleteSnapshots).
 */
export async function rebuildSnapshotEventsAfter(conn: DuckDBConnection, position: bigint): Promise<number[]> {
  const targets = await queryRows<{ snapshot_id: number; position: bigint }>(
    conn,
    `SELECT snapshot_id, position FROM snapshots WHERE NOT has_history AND position > $position ORDER BY position`,
    { position }
  );
  for (const { snapshot_id: snapshot, position: at } of targets) {
    await createSnapshotTables(conn);
    await conn.run(`INSERT INTO snap_deals SELECT * FROM ${storedRowsAt(VERSIONED.deals, '$position')}`, { position: at });
    await storeWithSnapshotEvents(conn, snapshot, BigInt(at));
  }
  return targets.map((t) => t.snapshot_id);
}

/**
 * The snapshot's stage list once its events name stages its own deals no longer show
 * (a deal seen in Prospecting last week): per pipeline, each stage with its latest
 * settings among the snapshots up to this one, ordered as deriveStages orders a
 * report's stages over the CRM's standard ones.
 */
async function restage(conn: DuckDBConnection, snapshot: number) {
  const rows = await queryRows<{
    pipeline: string;
    stage: string;
    probability: number | null;
    forecast_category: string | null;
    is_closed: boolean | null;
    is_won: boolean | null;
    own: boolean;
    crm: string;
  }>(
    conn,
    `WITH names AS (
       SELECT d.pipeline, e.stage FROM snap_events e JOIN snap_deals d USING (deal_id) UNION SELECT pipeline, stage FROM snap_deals
     ),
     known AS (
       SELECT st.pipeline, st.stage, st.probability, st.forecast_category, st.is_closed, st.is_won, st.origin
       FROM stages st JOIN snapshots s ON s.snapshot_id = st.snapshot_id
       WHERE s.position <= (SELECT position FROM snapshots WHERE snapshot_id = $snapshot)
       QUALIFY row_number() OVER (PARTITION BY st.pipeline, st.stage ORDER BY st.snapshot_id = $snapshot DESC, s.position DESC) = 1
     )
     SELECT n.pipeline, n.stage, k.probability, k.forecast_category, k.is_closed, k.is_won,
            (SELECT count(*) FROM stages WHERE snapshot_id = $snapshot AND pipeline = n.pipeline AND stage = n.stage) > 0 AS own,
            (SELECT crm FROM snapshots WHERE snapshot_id = $snapshot) AS crm
     FROM names n LEFT JOIN known k ON k.pipeline = n.pipeline AND k.stage = n.stage`,
    { snapshot }
  );
  const pipelines = [...new Set(rows.filter((r) => !r.own).map((r) => r.pipeline))];
  for (const pipeline of pipelines) {
    const own = rows.filter((r) => r.pipeline === pipeline);
    const hints = new Map<string, StageHints>(
      own.map((r) => [r.stage, { probability: r.probability ?? undefined, forecast_category: r.forecast_category ?? undefined, is_closed: r.is_closed ?? undefined, is_won: r.is_won ?? undefined }])
    );
    const stages = deriveStages(own.map((r) => r.stage), [{ origin: 'earlier-snapshots', hints }], STANDARD_STAGES[own[0].crm]);
    await conn.run(`DELETE FROM stages WHERE snapshot_id = $snapshot AND pipeline = $pipeline`, { snapshot, pipeline });
    await insertStages(conn, snapshot, stages, pipeline);
  }
}

/** One pipeline's stages; stage_bit numbers them within the pipeline (visited_mask has one bit each). */
export async function insertStages(conn: DuckDBConnection, snapshot: number, stages: StageSetting[], pipeline = 'default'): Promise<void> {
  for (const [bit, st] of stages.entries()) {
    await conn.run(
      `INSERT INTO stages (snapshot_id, pipeline, stage, sort_order, probability, forecast_category, is_closed, is_won, origin, stage_bit)
       VALUES ($snapshot, $pipeline, $stage, $sort_order, $probability, $fc, $closed, $won, $origin, $bit)`,
      { snapshot, pipeline, stage: st.stage, sort_order: st.sort_order, probability: st.probability, fc: st.forecast_category, closed: st.is_closed, won: st.is_won, origin: st.origin, bit }
    );
  }
}

import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * Deals, stage events, stage visits and leads are stored once per version, not once per
 * snapshot. A row of `deal_rows` holds one state of one deal and the range of snapshot
 * positions [valid_from, valid_to) (valid_to NULL: no end yet) in which the deal was in that state; the `deals` view
 * joins it to every snapshot whose position is in the range, so queries still read
 * `deals WHERE snapshot_id = …`. Weekly exports that repeat most deals unchanged then add
 * rows only for what changed.
 *
 * A snapshot's position orders snapshots by as_of, then by load order:
 * epoch microseconds of as_of × 1000 + how many snapshots already had that as_of.
 */
export interface VersionedTable {
  /** the view every query reads, with snapshot_id first */
  view: string;
  /** the stored rows */
  table: string;
  /** unique within one snapshot */
  key: string[];
  /** every stored column but the validity range, in the view's order */
  columns: string[];
}

/** A row whose valid_to is NULL holds until the end; NULL rather than a far-off number keeps the column small. */
const UNTIL = (r: string) => `coalesce(${r}.valid_to, 9223372036854775807)`;

export const VERSIONED = {
  deals: {
    view: 'deals',
    table: 'deal_rows',
    key: ['deal_id'],
    columns: [
      'deal_id', 'name', 'account_id', 'account_name', 'owner_id', 'owner_name', 'pipeline', 'stage', 'amount', 'currency',
      'amount_corporate', 'probability', 'forecast_category', 'is_closed', 'is_won', 'close_date', 'created_at',
      'last_activity_date', 'last_modified_at', 'last_stage_change_at', 'lead_source', 'type', 'visited_mask', 'push_count'
    ]
  },
  stage_events: {
    view: 'stage_events',
    table: 'stage_event_rows',
    key: ['deal_id', 'seq'],
    columns: ['deal_id', 'seq', 'event_at', 'stage', 'amount', 'amount_corporate', 'close_date', 'probability', 'forecast_category', 'origin']
  },
  stage_visits: {
    view: 'stage_visits',
    table: 'stage_visit_rows',
    key: ['deal_id', 'visit_no'],
    columns: ['deal_id', 'visit_no', 'stage', 'entered_at', 'exited_at', 'origin']
  },
  leads: {
    view: 'leads',
    table: 'lead_rows',
    key: ['lead_id'],
    columns: [
      'lead_id', 'status', 'lead_source', 'owner_id', 'owner_name', 'company', 'created_at', 'is_converted',
      'converted_date', 'converted_deal_id', 'last_modified_at'
    ]
  }
} satisfies Record<string, VersionedTable>;

/** The view a table is read through: one row per snapshot the row holds in, stages named as the settings merge them. */
export function versionedViewSql(t: VersionedTable): string {
  const merged = t.columns.includes('stage');
  const columns = t.columns.map((c) => (c === 'stage' ? 'coalesce(m.merge_into, r.stage) AS stage' : `r.${c}`));
  return `CREATE VIEW ${t.view} AS
    SELECT s.snapshot_id, ${columns.join(', ')}
    FROM ${t.table} r JOIN snapshots s ON s.position >= r.valid_from AND s.position < ${UNTIL('r')}
    ${merged ? 'LEFT JOIN stage_merges m ON m.stage = r.stage' : ''}`;
}

/** The rows a snapshot holds, as stored (stage names unmerged): for the ingest's own derivations. */
export function storedRowsAt(t: VersionedTable, position: string): string {
  return `(SELECT ${t.columns.join(', ')} FROM ${t.table} r WHERE r.valid_from <= ${position} AND ${UNTIL('r')} > ${position})`;
}

/** The position a snapshot taken at `asOf` (a TIMESTAMP literal's text) gets, after any with the same as_of. */
export async function nextPosition(conn: DuckDBConnection, asOf: string): Promise<bigint> {
  const reader = await conn.runAndReadAll(
    // after the highest of that as_of, not after how many there are: one may have been deleted
    `SELECT coalesce(max(position) + 1, epoch_us($as_of::TIMESTAMP) * 1000) AS position FROM snapshots WHERE as_of = $as_of::TIMESTAMP`,
    { as_of: asOf }
  );
  return BigInt(reader.getRowObjectsJS()[0].position as bigint);
}

/**
 * Makes `source` (a table or temp table with the versioned table's columns) the rows of
 * the snapshot at `position`, whether the snapshot is new or is being rebuilt, and
 * whether or not later snapshots exist. Rows that cover the position and are unchanged
 * stay as they are; the others end here (and resume at the next snapshot when they
 * covered it too); source rows not already there start here and last until the next
 * snapshot, or forever when none follows.
 */
export async function storeSnapshotRows(conn: DuckDBConnection, t: VersionedTable, source: string, position: bigint): Promise<void> {
  const [{ next }] = (
    await conn.runAndReadAll(`SELECT min(position) AS next FROM snapshots WHERE position > $p`, { p: position })
  ).getRowObjectsJS() as { next: bigint | null }[];
  const at = { p: position };
  const params = { p: position, next };
  const covering = `r.valid_from <= $p AND ${UNTIL('r')} > $p`;
  const keyMatch = (a: string, b: string) => t.key.map((k) => `${a}.${k} = ${b}.${k}`).join(' AND ');
  const sameValues = t.columns.map((c) => `r.${c} IS NOT DISTINCT FROM n.${c}`).join(' AND ');
  const cols = t.columns.join(', ');

  await conn.run(
    `CREATE OR REPLACE TEMP TABLE unchanged_rows AS
     SELECT ${t.key.map((k) => `n.${k}`).join(', ')} FROM ${t.table} r JOIN ${source} n ON ${keyMatch('r', 'n')}
     WHERE ${covering} AND ${sameValues}`,
    at
  );
  const changed = `${covering} AND NOT EXISTS (SELECT 1 FROM unchanged_rows u WHERE ${keyMatch('u', 'r')})`;
  if (next !== null) {
    await conn.run(`INSERT INTO ${t.table} SELECT ${cols}, $next, valid_to FROM ${t.table} r WHERE ${changed} AND ${UNTIL('r')} > $next`, params);
  }
  await conn.run(`DELETE FROM ${t.table} AS r WHERE ${changed} AND r.valid_from = $p`, at);
  await conn.run(`UPDATE ${t.table} AS r SET valid_to = $p WHERE ${changed}`, at);
  // A new row ends at the next snapshot, or sooner where the same key already has a row starting
  // before it: one left behind by a deleted snapshot, which must not overlap this one.
  await conn.run(
    `INSERT INTO ${t.table}
     SELECT ${t.columns.map((c) => `n.${c}`).join(', ')}, $p, CASE WHEN later.starts IS NULL THEN $next::BIGINT ELSE least(later.starts, coalesce($next::BIGINT, later.starts)) END
     FROM ${source} n
     LEFT JOIN (SELECT ${t.key.join(', ')}, min(valid_from) AS starts FROM ${t.table} WHERE valid_from > $p GROUP BY ALL) later ON ${keyMatch('later', 'n')}
     WHERE NOT EXISTS (SELECT 1 FROM unchanged_rows u WHERE ${keyMatch('u', 'n')})`,
    params
  );
  await conn.run(`DROP TABLE unchanged_rows`);
}

/** Drops rows no remaining snapshot's position falls in (after snapshots are deleted). */
export async function dropOrphanRows(conn: DuckDBConnection): Promise<void> {
  for (const t of Object.values(VERSIONED)) {
    await conn.run(
      `DELETE FROM ${t.table} AS r WHERE NOT EXISTS (SELECT 1 FROM snapshots s WHERE s.position >= r.valid_from AND s.position < ${UNTIL('r')})`
    );
  }
}

/**
 * The demo company scaled up for the bench, generated straight into DuckDB with SQL
 * (seeded through hash(), so every run builds the same data): DEALS deals, about ten
 * history rows each on average, and WEEKS weekly snapshots ending 2026-11-16. Every
 * snapshot holds each deal as it stood that day; the stage history is stored with the
 * latest snapshot, as a history export would carry it.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { createSnapshotTables, storeDealsAndEvents } from '../../analytics/storage/snapshot-events';
import { nextPosition, storeSnapshotRows, VERSIONED } from '../../analytics/storage/versions';

export const LAST_SNAPSHOT = '2026-11-16';

const STAGES = [
  ['Prospecting', 10, 'Pipeline'],
  ['Qualification', 10, 'Pipeline'],
  ['Needs Analysis', 20, 'Pipeline'],
  ['Value Proposition', 50, 'Pipeline'],
  ['Id. Decision Makers', 60, 'Pipeline'],
  ['Perception Analysis', 70, 'Best Case'],
  ['Proposal/Price Quote', 75, 'Best Case'],
  ['Negotiation/Review', 90, 'Commit']
] as const;

export async function generateScaleData(conn: DuckDBConnection, deals: number, weeks: number, log: (s: string) => void) {
  const stageList = `[${STAGES.map(([s]) => `'${s}'`).join(', ')}]`;
  await conn.run(`
    CREATE OR REPLACE TEMP TABLE world_deals AS
    SELECT i,
           '006SC' || lpad(i::VARCHAR, 13, '0') AS deal_id,
           DATE '2025-07-01' + (hash(i, 1) % 500)::INTEGER AS created,
           (1 + hash(i, 2) % 8)::INTEGER AS furthest,
           (hash(i, 3) % 100)::INTEGER AS fate,
           'Rep ' || lpad((hash(i, 4) % 200)::VARCHAR, 3, '0') AS owner,
           ['Web', 'Partner Referral', 'Employee Referral', 'Trade Show', 'Phone Inquiry', 'Purchased List', 'Other', NULL][(1 + hash(i, 5) % 8)::BIGINT] AS lead_source,
           ['New Customer', 'Existing Customer - Upgrade', 'Existing Customer - Replacement', 'Existing Customer - Downgrade'][(1 + hash(i, 6) % 4)::BIGINT] AS type,
           round(exp(9.2 + (hash(i, 7) % 1000) / 350.0), 2) AS amount,
           CASE WHEN hash(i, 8) % 4 = 0 THEN 'EUR' ELSE 'USD' END AS currency,
           (hash(i, 9) % 6)::INTEGER AS pushes,
           (3 + hash(i, 10) % 28)::INTEGER AS stage_days,
           hash(i, 11) % 3 <> 0 AS amount_changes,
           CASE WHEN hash(i, 12) % 5 = 0 THEN NULL ELSE DATE '2025-07-01' + (hash(i, 13) % 500)::INTEGER END AS last_activity
    FROM range(1, ${deals + 1}) t(i)`);
  // events: one per open stage reached, close-date pushes and an amount change in the last stage, then the close
  await conn.run(`
    CREATE OR REPLACE TEMP TABLE world_events AS
    WITH stage_steps AS (
      SELECT d.deal_id, j AS step, d.created + ((j - 1) * d.stage_days)::INTEGER AS day, ${stageList}[j] AS stage,
             d.amount, d.created + 90 AS close_date
      FROM world_deals d, range(1, 9) r(j) WHERE j <= d.furthest
    ),
    pushes AS (
      SELECT d.deal_id, 10 + p AS step, d.created + ((d.furthest - 1) * d.stage_days + p)::INTEGER AS day, ${stageList}[d.furthest] AS stage,
             d.amount, d.created + (90 + 30 * p)::INTEGER AS close_date
      FROM world_deals d, range(1, 6) r(p) WHERE p <= d.pushes
    ),
    amount_change AS (
      SELECT d.deal_id, 20 AS step, d.created + (d.furthest - 1) * d.stage_days + d.pushes + 1 AS day, ${stageList}[d.furthest] AS stage,
             round(d.amount * 1.1, 2) AS amount, d.created + 90 + 30 * d.pushes AS close_date
      FROM world_deals d WHERE d.amount_changes
    ),
    closes AS (
      SELECT d.deal_id, 30 AS step, d.created + d.furthest * d.stage_days + d.pushes + 2 AS day,
             CASE WHEN d.fate < 25 + 2 * d.furthest THEN 'Closed Won' ELSE 'Closed Lost' END AS stage,
             CASE WHEN d.amount_changes THEN round(d.amount * 1.1, 2) ELSE d.amount END AS amount,
             d.created + d.furthest * d.stage_days + d.pushes + 2 AS close_date
      FROM world_deals d WHERE d.fate < 85
    )
    SELECT deal_id, row_number() OVER (PARTITION BY deal_id ORDER BY day, step)::INTEGER AS seq, day::TIMESTAMP + INTERVAL 9 HOUR AS event_at,
           stage, amount, close_date::DATE AS close_date
    FROM (SELECT * FROM stage_steps UNION ALL SELECT * FROM pushes UNION ALL SELECT * FROM amount_change UNION ALL SELECT * FROM closes)`);
  const [{ n }] = (await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM world_events`)).getRowObjectsJS() as { n: number }[];
  log(`world: ${deals.toLocaleString('en-US')} deals, ${n.toLocaleString('en-US')} history rows`);

  for (let w = weeks - 1; w >= 0; w--) {
    const day = `DATE '${LAST_SNAPSHOT}' - ${7 * w}`;
    const latest = w === 0;
    const [{ id }] = (await conn.runAndReadAll(`SELECT nextval('snapshot_id_seq')::INTEGER AS id`)).getRowObjectsJS() as { id: number }[];
    const [{ at }] = (await conn.runAndReadAll(`SELECT (${day} + INTERVAL 6 HOUR)::VARCHAR AS at`)).getRowObjectsJS() as { at: string }[];
    const position = await nextPosition(conn, at);
    await conn.run(
      `INSERT INTO snapshots VALUES ($id, 'salesforce', 'data-export', ${day} + INTERVAL 6 HOUR, 'explicit', now()::TIMESTAMP, 'bench-' || $id, 'USD', true, '[]', '[]', '[]', true, $position, NULL)`,
      { id, position }
    );
    await conn.run(
      `INSERT INTO stages SELECT $id, 'default', stage, sort_order, probability, fc, closed, won, 'bench', sort_order - 1 FROM (VALUES
       ${STAGES.map(([s, p, fc], i) => `('${s}', ${i + 1}, ${p}, '${fc}', false, false)`).join(', ')},
       ('Closed Won', 9, 100, 'Closed', true, true), ('Closed Lost', 10, 0, 'Omitted', true, false)) t(stage, sort_order, probability, fc, closed, won)`,
      { id }
    );
    await conn.run(`INSERT INTO currency_rates VALUES ($id, 'USD', 1, true), ($id, 'EUR', 0.92, false)`, { id });
    await createSnapshotTables(conn);
    await conn.run(
      `INSERT INTO snap_deals
       SELECT d.deal_id, 'Deal ' || d.i, NULL, NULL, d.owner, d.owner, 'default', e.stage, e.amount, d.currency,
              CASE WHEN d.currency = 'EUR' THEN e.amount / 0.92 ELSE e.amount END, NULL, NULL,
              e.stage LIKE 'Closed%', e.stage = 'Closed Won', e.close_date, d.created::TIMESTAMP + INTERVAL 9 HOUR,
              CASE WHEN d.last_activity <= ${day} THEN d.last_activity END, e.event_at, e.event_at, d.lead_source, d.type, NULL, 0
       FROM (SELECT *, ${day} + INTERVAL 6 HOUR AS snapshot_at FROM world_deals WHERE created <= ${day}) d
       ASOF JOIN world_events e ON e.deal_id = d.deal_id AND d.snapshot_at >= e.event_at`
    );
    if (latest) {
      await conn.run(
        `INSERT INTO snap_events SELECT e.deal_id, e.seq, e.event_at, e.stage, e.amount,
           CASE WHEN d.currency = 'EUR' THEN e.amount / 0.92 ELSE e.amount END, e.close_date, NULL, NULL, 'history'
         FROM world_events e JOIN world_deals d USING (deal_id) WHERE e.event_at <= ${day} + INTERVAL 6 HOUR`
      );
    }
    await storeDealsAndEvents(conn, id, position);
    if (latest) {
      await conn.run(
        `CREATE OR REPLACE TEMP TABLE bench_leads AS
         SELECT '00QSC' || lpad(i::VARCHAR, 13, '0') AS lead_id,
           ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted'][(1 + hash(i, 21) % 4)::BIGINT] AS status,
           ['Web', 'Partner Referral', 'Employee Referral', 'Trade Show', 'Phone Inquiry', 'Purchased List', 'Other', NULL][(1 + hash(i, 22) % 8)::BIGINT] AS lead_source,
           'Rep ' || lpad((hash(i, 23) % 200)::VARCHAR, 3, '0') AS owner_id, 'Rep ' || lpad((hash(i, 23) % 200)::VARCHAR, 3, '0') AS owner_name,
           'Company ' || i AS company, (DATE '2025-07-01' + (hash(i, 24) % 500)::INTEGER)::TIMESTAMP AS created_at, hash(i, 21) % 4 = 2 AS is_converted,
           CASE WHEN hash(i, 21) % 4 = 2 THEN DATE '2025-07-01' + (hash(i, 24) % 500)::INTEGER + (hash(i, 25) % 30)::INTEGER END AS converted_date,
           NULL::VARCHAR AS converted_deal_id, NULL::TIMESTAMP AS last_modified_at
         FROM range(1, ${deals + 1}) t(i)`
      );
      await storeSnapshotRows(conn, VERSIONED.leads, 'bench_leads', position);
      await conn.run(
        `INSERT INTO lead_statuses VALUES ($id, 'Open - Not Contacted', 1, false, false), ($id, 'Working - Contacted', 2, false, false),
           ($id, 'Closed - Converted', 3, true, true), ($id, 'Closed - Not Converted', 4, false, true)`,
        { id }
      );
    }
    log(`snapshot ${weeks - w}/${weeks} (${latest ? 'with history' : 'deals only'})`);
  }
}

/** The latest snapshot's opportunities as a Salesforce Data Export CSV, for the ingest bench. */
export async function writeOpportunityCsv(conn: DuckDBConnection, path: string) {
  await conn.run(
    `COPY (
       SELECT deal_id AS Id, '0' AS IsDeleted, name AS Name, stage AS StageName, amount AS Amount, currency AS CurrencyIsoCode,
              strftime(close_date, '%Y-%m-%d') AS CloseDate, type AS Type, lead_source AS LeadSource,
              CASE WHEN is_closed THEN '1' ELSE '0' END AS IsClosed, CASE WHEN is_won THEN '1' ELSE '0' END AS IsWon,
              owner_id AS OwnerId, strftime(created_at, '%Y-%m-%d %H:%M:%S') AS CreatedDate,
              strftime(last_modified_at, '%Y-%m-%d %H:%M:%S') AS LastModifiedDate, strftime(last_activity_date, '%Y-%m-%d') AS LastActivityDate
       FROM deals WHERE snapshot_id = (SELECT max(snapshot_id) FROM snapshots) ORDER BY deal_id
     ) TO '${path.replace(/'/g, "''")}' (HEADER, DELIMITER ',', QUOTE '"', FORCE_QUOTE *)`
  );
}

import type { DuckDBConnection } from '@duckdb/node-api';
import { VERSIONED, versionedViewSql } from './versions';

/**
 * Where the derived-row statements read and write: the stored tables of every snapshot
 * (what migrations 3–5 rebuilt, before rows were versioned), or one snapshot's rows in
 * the temp tables snap_deals / snap_events / snap_visits while it is being stored.
 */
export interface DerivedScope {
  deals: string;
  events: string;
  visits: string;
  /** the columns that name one deal's rows */
  keys: string;
  /** the snapshot_id to find a deal's stages under */
  snapshot: string;
}

export const ALL_SNAPSHOTS: DerivedScope = { deals: 'deals', events: 'stage_events', visits: 'stage_visits', keys: 'snapshot_id, deal_id', snapshot: 'p.snapshot_id' };
export const ONE_SNAPSHOT: DerivedScope = { deals: 'snap_deals', events: 'snap_events', visits: 'snap_visits', keys: 'deal_id', snapshot: '$snapshot' };

const sameDeal = (scope: DerivedScope, a: string, b: string) => scope.keys.split(', ').map((k) => `${a}.${k} = ${b}.${k}`).join(' AND ');

/**
 * A visit is a run of consecutive events of one deal in the same stage (METRICS.md
 * "Stage visits"); it lasts until the first event of the next different stage, and the
 * last visit has no exit.
 */
export function insertStageVisitsSql(scope: DerivedScope): string {
  return `INSERT INTO ${scope.visits}
    WITH changes AS (
      SELECT ${scope.keys}, seq, event_at, stage, origin,
             lag(stage) OVER (PARTITION BY ${scope.keys} ORDER BY seq) AS previous_stage
      FROM ${scope.events}
    )
    SELECT ${scope.keys},
           row_number() OVER visit::INTEGER, stage, event_at,
           lead(event_at) OVER visit, origin
    FROM changes
    WHERE previous_stage IS DISTINCT FROM stage
    WINDOW visit AS (PARTITION BY ${scope.keys} ORDER BY seq)`;
}

// The views as version 2 made them; version 4 re-creates them with the stage bit.
const VIEWS_V2 = `
      CREATE VIEW snapshot_stages AS
        SELECT s.snapshot_id, s.pipeline, s.stage,
               coalesce(o.sort_order, s.sort_order) AS sort_order,
               coalesce(o.probability, s.probability) AS probability,
               coalesce(o.forecast_category, s.forecast_category) AS forecast_category,
               coalesce(o.is_closed, s.is_closed) AS is_closed,
               coalesce(o.is_won, s.is_won) AS is_won,
               CASE WHEN o.stage IS NULL THEN s.origin ELSE 'settings' END AS origin
        FROM stages s
        LEFT JOIN stage_overrides o ON o.stage = s.stage AND o.pipeline IN (s.pipeline, '*');
      CREATE VIEW deal_states AS
        SELECT d.*,
               st.sort_order AS stage_order,
               coalesce(st.is_closed, d.is_closed, false) AS closed,
               coalesce(st.is_won, d.is_won, false) AS won,
               coalesce(d.probability, st.probability) AS effective_probability,
               coalesce(d.forecast_category, st.forecast_category) AS effective_forecast_category
        FROM deals d
        LEFT JOIN snapshot_stages st USING (snapshot_id, pipeline, stage);
`;

const VIEWS_SQL = VIEWS_V2.replace('coalesce(o.sort_order, s.sort_order) AS sort_order,', 'coalesce(o.sort_order, s.sort_order) AS sort_order, s.stage_bit,');

/**
 * Version 8: a stage the settings merge into another (a renamed stage) is read under the
 * other's name everywhere. snapshot_stages keeps one row per name, the target's own when
 * the snapshot has both, and stage_mask holds the bits of every stage merged into it, so
 * a deal that visited the old name has reached the new one.
 *
 * A deal's own outcome, where its export gives one, wins over its stage's: Pipedrive
 * closes deals by status and leaves them in their pipeline stage, and a mapping may read
 * the outcome from a column of its own. An outcome the settings give a stage wins over both.
 */
export const STAGE_MERGES_VIEW = `CREATE VIEW stage_merges AS
  SELECT stage, min(merge_into) AS merge_into FROM stage_overrides WHERE merge_into IS NOT NULL GROUP BY stage`;

const VIEWS_V8 = `
      CREATE VIEW snapshot_stages AS
        WITH named AS (
          SELECT s.*, coalesce(m.merge_into, s.stage) AS merged_stage, m.merge_into IS NOT NULL AS is_merged,
                 bit_or(1::UBIGINT << s.stage_bit) OVER (PARTITION BY s.snapshot_id, s.pipeline, coalesce(m.merge_into, s.stage)) AS stage_mask
          FROM stages s LEFT JOIN stage_merges m ON m.stage = s.stage
          QUALIFY row_number() OVER (PARTITION BY s.snapshot_id, s.pipeline, merged_stage ORDER BY is_merged, s.stage) = 1
        )
        SELECT s.snapshot_id, s.pipeline, s.merged_stage AS stage,
               coalesce(o.sort_order, s.sort_order) AS sort_order, s.stage_bit, s.stage_mask,
               coalesce(o.probability, s.probability) AS probability,
               coalesce(o.forecast_category, s.forecast_category) AS forecast_category,
               coalesce(o.is_closed, s.is_closed) AS is_closed,
               coalesce(o.is_won, s.is_won) AS is_won,
               o.is_closed IS NOT NULL AS outcome_from_settings,
               CASE WHEN o.stage IS NULL AND NOT s.is_merged THEN s.origin ELSE 'settings' END AS origin
        FROM named s
        LEFT JOIN stage_overrides o ON o.stage = s.merged_stage AND o.pipeline IN (s.pipeline, '*') AND o.merge_into IS NULL
        -- one settings entry per stage: the pipeline's own before the one for every pipeline
        QUALIFY row_number() OVER (PARTITION BY s.snapshot_id, s.pipeline, s.merged_stage ORDER BY o.pipeline = '*') = 1;
      ${VIEWS_V2.slice(VIEWS_V2.indexOf('CREATE VIEW deal_states')).replace(
        `coalesce(st.is_closed, d.is_closed, false) AS closed,
               coalesce(st.is_won, d.is_won, false) AS won,`,
        `CASE WHEN st.outcome_from_settings THEN st.is_closed ELSE coalesce(d.is_closed, st.is_closed, false) END AS closed,
               CASE WHEN st.outcome_from_settings THEN st.is_won ELSE coalesce(d.is_won, st.is_won, false) END AS won,`
      )}`;

/**
 * The stages a deal ever visited (its visits and the stage it is in now) as bits of
 * its pipeline's stage_bit numbering. Funnel reach and forecast calibration then group
 * deals by their mask, a few hundred distinct values, instead of joining every visit.
 */
export function updateVisitedMasksSql(scope: DerivedScope): string {
  return `UPDATE ${scope.deals} SET visited_mask = m.mask
    FROM (
      SELECT ${scope.keys.split(', ').map((k) => `p.${k}`).join(', ')}, bit_or(1::UBIGINT << s.stage_bit) AS mask
      FROM (SELECT ${scope.keys}, stage FROM ${scope.visits}
            UNION ALL SELECT ${scope.keys}, stage FROM ${scope.deals}) p
      JOIN ${scope.deals} d ON ${sameDeal(scope, 'd', 'p')}
      JOIN stages s ON s.snapshot_id = ${scope.snapshot} AND s.pipeline = d.pipeline AND s.stage = p.stage
      GROUP BY ALL
    ) m
    WHERE ${sameDeal(scope, scope.deals, 'm')}`;
}

/** Close-date pushes per deal: history rows whose close date is later than the previous row's (rows without one skipped). */
export function updatePushCountsSql(scope: DerivedScope): string {
  return `UPDATE ${scope.deals} SET push_count = p.pushes
    FROM (
      SELECT ${scope.keys}, count(*) FILTER (WHERE close_date > previous_close)::INTEGER AS pushes
      FROM (SELECT ${scope.keys}, close_date,
                   lag(close_date) OVER (PARTITION BY ${scope.keys} ORDER BY seq) AS previous_close
            FROM ${scope.events} WHERE close_date IS NOT NULL)
      GROUP BY ALL
    ) p
    WHERE ${sameDeal(scope, scope.deals, 'p')}`;
}

/**
 * Completed-visit statistics per stage, over all of a snapshot's visits: the stall
 * thresholds and the unfiltered stage durations read them instead of sorting every
 * visit again. A visit's duration is a fact, but which name it counts under follows the
 * settings' stage merges, so they are rebuilt when those change (stage-overrides.ts).
 */
export function insertStageVisitStatsSql(where = 'true'): string {
  return `INSERT INTO stage_visit_stats
    SELECT snapshot_id, stage, count(*)::INTEGER, avg(days), quantile_cont(days, 0.5), quantile_cont(days, 0.75), quantile_cont(days, 0.9)
    FROM (SELECT snapshot_id, stage, (epoch(exited_at) - epoch(entered_at)) / 86400.0 AS days
          FROM stage_visits WHERE ${where} AND exited_at IS NOT NULL)
    GROUP BY snapshot_id, stage`;
}

/** The most stages a pipeline may have: one bit each in visited_mask. */
export const MAX_STAGES_PER_PIPELINE = 64;

/**
 * Schema versions, applied in order; a database records the versions it has.
 * Append a migration, never edit one that has shipped.
 *
 * Every fact belongs to snapshots, so several snapshots of the same deals coexist: small
 * per-snapshot tables carry a snapshot_id; deals, stage events, visits and leads are
 * stored once per version and read through views with a snapshot_id (see versions.ts); stage settings are stored as derived from each export and overridden
 * at query time by the settings file (stage_overrides), so a settings change applies to
 * every snapshot without re-uploading.
 */
export const MIGRATIONS: { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'snapshots, deals, stage events, leads, stage settings, currencies',
    sql: `
      CREATE SEQUENCE snapshot_id_seq START 1;
      CREATE TABLE snapshots (
        snapshot_id INTEGER PRIMARY KEY DEFAULT nextval('snapshot_id_seq'),
        crm VARCHAR NOT NULL,
        export_kind VARCHAR NOT NULL,
        as_of TIMESTAMP NOT NULL,
        as_of_source VARCHAR NOT NULL,
        loaded_at TIMESTAMP NOT NULL,
        content_hash VARCHAR NOT NULL UNIQUE,
        corporate_currency VARCHAR,
        has_activity BOOLEAN NOT NULL,
        files JSON NOT NULL,
        ignored_files JSON NOT NULL,
        warnings JSON NOT NULL
      );
      CREATE TABLE deals (
        snapshot_id INTEGER NOT NULL,
        deal_id VARCHAR NOT NULL,
        name VARCHAR,
        account_id VARCHAR,
        account_name VARCHAR,
        owner_id VARCHAR,
        owner_name VARCHAR,
        pipeline VARCHAR NOT NULL,
        stage VARCHAR NOT NULL,
        amount DOUBLE,
        currency VARCHAR,
        amount_corporate DOUBLE,
        probability DOUBLE,
        forecast_category VARCHAR,
        is_closed BOOLEAN,
        is_won BOOLEAN,
        close_date DATE,
        created_at TIMESTAMP,
        last_activity_date DATE,
        last_modified_at TIMESTAMP,
        last_stage_change_at TIMESTAMP,
        lead_source VARCHAR,
        type VARCHAR,
        source_line INTEGER
      );
      CREATE TABLE stage_events (
        snapshot_id INTEGER NOT NULL,
        deal_id VARCHAR NOT NULL,
        seq INTEGER NOT NULL,
        event_at TIMESTAMP NOT NULL,
        stage VARCHAR NOT NULL,
        amount DOUBLE,
        amount_corporate DOUBLE,
        close_date DATE,
        probability DOUBLE,
        forecast_category VARCHAR,
        origin VARCHAR NOT NULL
      );
      CREATE TABLE leads (
        snapshot_id INTEGER NOT NULL,
        lead_id VARCHAR NOT NULL,
        status VARCHAR,
        lead_source VARCHAR,
        owner_id VARCHAR,
        owner_name VARCHAR,
        company VARCHAR,
        created_at TIMESTAMP,
        is_converted BOOLEAN,
        converted_date DATE,
        converted_deal_id VARCHAR,
        last_modified_at TIMESTAMP
      );
      CREATE TABLE stages (
        snapshot_id INTEGER NOT NULL,
        pipeline VARCHAR NOT NULL,
        stage VARCHAR NOT NULL,
        sort_order INTEGER NOT NULL,
        probability DOUBLE,
        forecast_category VARCHAR,
        is_closed BOOLEAN NOT NULL,
        is_won BOOLEAN NOT NULL,
        origin VARCHAR NOT NULL
      );
      CREATE TABLE lead_statuses (
        snapshot_id INTEGER NOT NULL,
        status VARCHAR NOT NULL,
        sort_order INTEGER NOT NULL,
        is_converted BOOLEAN NOT NULL,
        is_closed BOOLEAN NOT NULL
      );
      CREATE TABLE currency_rates (
        snapshot_id INTEGER NOT NULL,
        iso_code VARCHAR NOT NULL,
        conversion_rate DOUBLE NOT NULL,
        is_corporate BOOLEAN NOT NULL
      );
    `
  },
  {
    version: 2,
    name: 'stage overrides from the settings file; effective stage and deal views',
    sql: `
      CREATE TABLE stage_overrides (
        pipeline VARCHAR NOT NULL,
        stage VARCHAR NOT NULL,
        sort_order INTEGER,
        probability DOUBLE,
        forecast_category VARCHAR,
        is_closed BOOLEAN,
        is_won BOOLEAN
      );
      ${VIEWS_V2}
    `
  },
  {
    version: 3,
    name: 'stage visits, materialized per snapshot from its stage events',
    sql: `
      CREATE TABLE stage_visits (
        snapshot_id INTEGER NOT NULL,
        deal_id VARCHAR NOT NULL,
        visit_no INTEGER NOT NULL,
        stage VARCHAR NOT NULL,
        entered_at TIMESTAMP NOT NULL,
        exited_at TIMESTAMP,
        origin VARCHAR NOT NULL
      );
      ${insertStageVisitsSql(ALL_SNAPSHOTS)};
    `
  },
  {
    version: 4,
    name: 'stage bits and per-deal visited-stage masks, for fast funnels and calibration',
    sql: `
      DROP VIEW deal_states;
      DROP VIEW snapshot_stages;
      ALTER TABLE stages ADD COLUMN stage_bit INTEGER;
      UPDATE stages SET stage_bit = b.bit
      FROM (SELECT snapshot_id, pipeline, stage,
                   (row_number() OVER (PARTITION BY snapshot_id, pipeline ORDER BY sort_order, stage) - 1)::INTEGER AS bit
            FROM stages) b
      WHERE stages.snapshot_id = b.snapshot_id AND stages.pipeline = b.pipeline AND stages.stage = b.stage;
      ALTER TABLE deals ADD COLUMN visited_mask UBIGINT;
      ${updateVisitedMasksSql(ALL_SNAPSHOTS)};
      ${VIEWS_SQL}
    `
  },
  {
    version: 5,
    name: 'push counts per deal and completed-visit statistics per stage, computed once per snapshot',
    sql: `
      DROP VIEW deal_states;
      DROP VIEW snapshot_stages;
      ALTER TABLE deals ADD COLUMN push_count INTEGER;
      ${updatePushCountsSql(ALL_SNAPSHOTS)};
      CREATE TABLE stage_visit_stats (
        snapshot_id INTEGER NOT NULL,
        stage VARCHAR NOT NULL,
        visits INTEGER NOT NULL,
        mean_days DOUBLE,
        median_days DOUBLE,
        p75_days DOUBLE,
        p90_days DOUBLE
      );
      ${insertStageVisitStatsSql()};
      ${VIEWS_SQL}
    `
  },
  {
    version: 6,
    name: 'users, API tokens and sessions (hashed), audit log',
    sql: `
      CREATE TABLE users (name VARCHAR PRIMARY KEY, role VARCHAR NOT NULL, password_hash VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL);
      CREATE TABLE api_tokens (
        token_id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, role VARCHAR NOT NULL,
        token_hash VARCHAR NOT NULL UNIQUE, created_at TIMESTAMP NOT NULL, last_used_at TIMESTAMP
      );
      CREATE TABLE sessions (session_hash VARCHAR PRIMARY KEY, user_name VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL, expires_at TIMESTAMP NOT NULL);
      CREATE TABLE audit_log (logged_at TIMESTAMP NOT NULL, actor VARCHAR NOT NULL, action VARCHAR NOT NULL, snapshot_id INTEGER, detail VARCHAR);
    `
  },
  {
    version: 7,
    name: 'snapshots record whether their export had a stage history',
    sql: `
      ALTER TABLE snapshots ADD COLUMN has_history BOOLEAN;
      UPDATE snapshots SET has_history = EXISTS (SELECT 1 FROM stage_events e WHERE e.snapshot_id = snapshots.snapshot_id);
    `
  },
  {
    version: 8,
    name: 'deals, stage events, stage visits and leads stored once per version, with the snapshot positions they hold in',
    sql: `
      DROP VIEW deal_states;
      DROP VIEW snapshot_stages;
      ALTER TABLE snapshots ADD COLUMN position BIGINT;
      UPDATE snapshots SET position = p.position
      FROM (SELECT snapshot_id, epoch_us(as_of) * 1000 + row_number() OVER (PARTITION BY as_of ORDER BY snapshot_id) - 1 AS position FROM snapshots) p
      WHERE snapshots.snapshot_id = p.snapshot_id;
      CREATE TABLE deal_rows (
        deal_id VARCHAR NOT NULL, name VARCHAR, account_id VARCHAR, account_name VARCHAR, owner_id VARCHAR, owner_name VARCHAR,
        pipeline VARCHAR NOT NULL, stage VARCHAR NOT NULL, amount DOUBLE, currency VARCHAR, amount_corporate DOUBLE,
        probability DOUBLE, forecast_category VARCHAR, is_closed BOOLEAN, is_won BOOLEAN, close_date DATE, created_at TIMESTAMP,
        last_activity_date DATE, last_modified_at TIMESTAMP, last_stage_change_at TIMESTAMP, lead_source VARCHAR, type VARCHAR,
        visited_mask UBIGINT, push_count INTEGER,
        valid_from BIGINT NOT NULL, valid_to BIGINT
      );
      CREATE TABLE stage_event_rows (
        deal_id VARCHAR NOT NULL, seq INTEGER NOT NULL, event_at TIMESTAMP NOT NULL, stage VARCHAR NOT NULL, amount DOUBLE,
        amount_corporate DOUBLE, close_date DATE, probability DOUBLE, forecast_category VARCHAR, origin VARCHAR NOT NULL,
        valid_from BIGINT NOT NULL, valid_to BIGINT
      );
      CREATE TABLE stage_visit_rows (
        deal_id VARCHAR NOT NULL, visit_no INTEGER NOT NULL, stage VARCHAR NOT NULL, entered_at TIMESTAMP NOT NULL,
        exited_at TIMESTAMP, origin VARCHAR NOT NULL,
        valid_from BIGINT NOT NULL, valid_to BIGINT
      );
      CREATE TABLE lead_rows (
        lead_id VARCHAR NOT NULL, status VARCHAR, lead_source VARCHAR, owner_id VARCHAR, owner_name VARCHAR, company VARCHAR,
        created_at TIMESTAMP, is_converted BOOLEAN, converted_date DATE, converted_deal_id VARCHAR, last_modified_at TIMESTAMP,
        valid_from BIGINT NOT NULL, valid_to BIGINT
      );
      CREATE TEMP TABLE snapshot_ranges AS
        SELECT snapshot_id, position AS valid_from, lead(position) OVER (ORDER BY position) AS valid_to FROM snapshots;
      ${Object.values(VERSIONED)
        .map((t) => `INSERT INTO ${t.table} SELECT ${t.columns.join(', ')}, valid_from, valid_to FROM ${t.view} JOIN snapshot_ranges USING (snapshot_id);`)
        .join('\n      ')}
      DROP TABLE snapshot_ranges;
      DROP TABLE deals;
      DROP TABLE stage_events;
      DROP TABLE stage_visits;
      DROP TABLE leads;
      ALTER TABLE stage_overrides ADD COLUMN merge_into VARCHAR;
      ${STAGE_MERGES_VIEW};
      ${Object.values(VERSIONED).map((t) => `${versionedViewSql(t)};`).join('\n      ')}
      ${VIEWS_V8}
    `
  },
  {
    version: 9,
    name: 'snapshots record where their export came from (an org id, a mapping), so a workspace holds one organisation',
    sql: `ALTER TABLE snapshots ADD COLUMN source_key VARCHAR;`
  },
  {
    version: 10,
    name: 'data-quality checks per snapshot (snapshots loaded before are checked when first asked)',
    sql: `
      CREATE TABLE quality_checks (
        snapshot_id INTEGER NOT NULL, position INTEGER NOT NULL, check_id VARCHAR NOT NULL, severity VARCHAR NOT NULL,
        sentence VARCHAR NOT NULL, hit_count INTEGER NOT NULL, examples JSON NOT NULL, affects JSON NOT NULL, drill VARCHAR
      );`
  },
  {
    version: 11,
    name: 'forecast ledger: each snapshot\'s forecast per fiscal quarter, kept per settings, so accuracy and trends read instead of recompute',
    sql: `
      CREATE TABLE forecast_ledger_runs (snapshot_id INTEGER NOT NULL, settings_key VARCHAR NOT NULL);
      CREATE TABLE forecast_ledger (
        snapshot_id INTEGER NOT NULL, settings_key VARCHAR NOT NULL, quarter_key INTEGER NOT NULL, quarter VARCHAR NOT NULL,
        closed_won DOUBLE NOT NULL, commit DOUBLE NOT NULL, best_case DOUBLE NOT NULL, pipeline DOUBLE NOT NULL, omitted DOUBLE NOT NULL,
        commit_forecast DOUBLE NOT NULL, best_case_forecast DOUBLE NOT NULL, open_pipeline DOUBLE NOT NULL, weighted DOUBLE NOT NULL,
        calibrated DOUBLE NOT NULL
      );`
  }
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

export async function migrate(conn: DuckDBConnection, upTo = SCHEMA_VERSION): Promise<number[]> {
  await conn.run(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)`);
  const reader = await conn.runAndReadAll(`SELECT version FROM schema_migrations`);
  const applied = new Set(reader.getRowObjectsJS().map((r) => Number(r.version)));
  const ran: number[] = [];
  for (const m of MIGRATIONS) {
    if (applied.has(m.version) || m.version > upTo) continue;
    await conn.run('BEGIN TRANSACTION');
    try {
      await conn.run(m.sql);
      await conn.run(`INSERT INTO schema_migrations VALUES ($v, $n, now()::TIMESTAMP)`, { v: m.version, n: m.name });
      await conn.run('COMMIT');
    } catch (err) {
      await conn.run('ROLLBACK');
      throw err;
    }
    ran.push(m.version);
  }
  // Schema changes go into the database file now, not the WAL: DuckDB 1.5.6 failed to replay
  // a WAL holding an ALTER TABLE … DEFAULT after a crash ("no default database set").
  if (ran.length) await conn.run('CHECKPOINT');
  return ran;
}

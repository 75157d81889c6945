import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../../../db';
import type { Problem } from '../../../errors';
import { PIPEDRIVE_DEFAULT_STAGES } from '../../../stages';
import type { ObjectSpec } from '../../fields';
import { deriveSalesforceLeadStatuses } from '../salesforce/prepare';
import { lackedColumns, NO_EVENTS_SQL, NO_LEADS_SQL, NO_RATES_SQL, type CrmAdapter, type StagedSet } from '../adapter';
import { duplicateIdWarnings, latestModification, stagesPerPipeline, type StageHintRow } from '../deal-exports';

/**
 * Pipedrive deals exported from the deals list (… → Export filter results → CSV):
 * "Deal - <field>" columns. A deal's status (open, won, lost, deleted) closes it while
 * it stays in the pipeline stage it was in, so the funnel counts a lost deal as having
 * reached that stage. The export holds no stage history (only the last stage change):
 * stage events come from successive snapshots.
 */
export const PIPEDRIVE_DEAL: ObjectSpec = {
  object: 'PipedriveDeal',
  signature: ['Deal - ID', 'Deal - Title', 'Deal - Stage', 'Deal - Status'],
  fields: [
    { name: 'deal_id', kind: 'id', required: true, aliases: ['Deal - ID'] },
    { name: 'title', kind: 'text', aliases: ['Deal - Title'] },
    { name: 'value', kind: 'number', aliases: ['Deal - Value'] },
    { name: 'currency', kind: 'text', aliases: ['Deal - Currency'] },
    { name: 'status', kind: 'text', required: true, aliases: ['Deal - Status'] },
    { name: 'stage', kind: 'text', required: true, aliases: ['Deal - Stage'] },
    { name: 'pipeline', kind: 'text', aliases: ['Deal - Pipeline'] },
    { name: 'owner', kind: 'text', aliases: ['Deal - Owner'] },
    { name: 'organization', kind: 'text', aliases: ['Deal - Organization'] },
    { name: 'expected_close', kind: 'date', aliases: ['Deal - Expected close date'] },
    { name: 'created', kind: 'timestamp', aliases: ['Deal - Deal created'] },
    { name: 'won_time', kind: 'timestamp', aliases: ['Deal - Won time'] },
    { name: 'lost_time', kind: 'timestamp', aliases: ['Deal - Lost time'] },
    { name: 'lost_reason', kind: 'text', aliases: ['Deal - Lost reason'] },
    { name: 'probability', kind: 'number', aliases: ['Deal - Probability'] },
    { name: 'last_activity', kind: 'date', aliases: ['Deal - Last activity date'] },
    { name: 'last_stage_change', kind: 'timestamp', aliases: ['Deal - Last stage change'] },
    { name: 'update_time', kind: 'timestamp', aliases: ['Deal - Update time'] }
  ]
};

const classify = (_fileName: string, header: string[]) => (lackedColumns(PIPEDRIVE_DEAL, header).length ? null : PIPEDRIVE_DEAL);

async function prepare(conn: DuckDBConnection, staged: StagedSet) {
  const deals = staged.get('PipedriveDeal')!;
  const problems: Problem[] = (
    await queryRows<{ rec: number; status: string }>(
      conn,
      `SELECT rec, status FROM stg_pipedrivedeal WHERE lower(status) NOT IN ('open', 'won', 'lost', 'deleted') ORDER BY rec LIMIT 100`
    )
  ).map((r) => ({ file: deals.file, line: deals.recordLines[r.rec - 1], column: 'Deal - Status', reason: `not open, won, lost or deleted: ${JSON.stringify(r.status)}` }));

  const warnings = await duplicateIdWarnings(conn, 'stg_pipedrivedeal', 'deal');
  const [counts] = await queryRows<{ deleted: number; currencies: number; single: string | null }>(
    conn,
    `SELECT count(*) FILTER (WHERE lower(status) = 'deleted')::INTEGER AS deleted, count(DISTINCT upper(currency))::INTEGER AS currencies,
            any_value(upper(currency)) AS single
     FROM (SELECT * FROM stg_pipedrivedeal QUALIFY row_number() OVER (PARTITION BY deal_id ORDER BY rec DESC) = 1)`
  );
  if (counts.deleted) warnings.push(`${counts.deleted} deleted deals ignored`);
  if (counts.currencies > 1) warnings.push(`${counts.currencies} currencies without conversion rates: amounts are summed as they are`);

  await conn.run(NO_RATES_SQL);
  await conn.run(NO_LEADS_SQL);
  await conn.run(NO_EVENTS_SQL);
  // A closed deal's close date is the day it was won or lost; an open one's, its expected close date.
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE cur_deals AS
     SELECT rec, deal_id, title AS name, NULL::VARCHAR AS account_id, organization AS account_name, NULL::VARCHAR AS owner_id,
            owner AS owner_name, coalesce(pipeline, 'default') AS pipeline, stage, value AS amount, upper(currency) AS currency,
            value AS amount_corporate, probability, NULL::VARCHAR AS forecast_category,
            lower(status) IN ('won', 'lost') AS is_closed, lower(status) = 'won' AS is_won,
            CASE lower(status) WHEN 'won' THEN coalesce(won_time::DATE, expected_close)
                               WHEN 'lost' THEN coalesce(lost_time::DATE, expected_close)
                               ELSE expected_close END AS close_date,
            created AS created_at, last_activity AS last_activity_date, update_time AS last_modified_at,
            last_stage_change AS last_stage_change_at, NULL::VARCHAR AS lead_source, NULL::VARCHAR AS type
     FROM (SELECT * FROM stg_pipedrivedeal QUALIFY row_number() OVER (PARTITION BY deal_id ORDER BY rec DESC) = 1)
     WHERE lower(status) <> 'deleted'`
  );
  return {
    ...(await latestModification(conn, 'stg_pipedrivedeal', 'update_time', 'Update time')),
    corporateCurrency: counts.currencies === 1 ? counts.single : null,
    hasActivity: deals.present.has('last_activity'),
    warnings,
    problems
  };
}

async function stages(conn: DuckDBConnection, staged: StagedSet) {
  // The export has no stage list: a stage's probability is its open deals' most frequent one.
  const seen = await queryRows<StageHintRow>(
    conn,
    `SELECT pipeline, stage, mode(probability) FILTER (WHERE NOT is_closed) AS probability FROM cur_deals GROUP BY pipeline, stage`
  );
  return stagesPerPipeline(seen, [{ origin: 'export-columns', rows: seen }], PIPEDRIVE_DEFAULT_STAGES, {
    file: staged.get('PipedriveDeal')!.file,
    column: 'Deal - Stage'
  });
}

export const pipedrive: CrmAdapter = {
  crm: 'pipedrive',
  label: 'Pipedrive',
  primary: PIPEDRIVE_DEAL,
  classify,
  prepare,
  dealRows: { table: 'stg_pipedrivedeal', id: 'deal_id' },
  stages,
  // The deals export has no leads: the settings' statuses keep the lead funnel's rows.
  leadStatuses: (conn, _staged, settings) => deriveSalesforceLeadStatuses(conn, false, settings),
  hasHistory: () => false,
  exportKind: () => 'deals-export'
};

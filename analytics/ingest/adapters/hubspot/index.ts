import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../../../db';
import { HUBSPOT_DEFAULT_STAGES } from '../../../stages';
import type { FieldSpec, ObjectSpec } from '../../fields';
import { deriveSalesforceLeadStatuses } from '../salesforce/prepare';
import { lackedColumns, NO_LEADS_SQL, NO_RATES_SQL, type CrmAdapter, type StagedSet } from '../adapter';
import { duplicateIdWarnings, latestModification, stagesPerPipeline, type StageHintRow } from '../deal-exports';

/**
 * HubSpot deals exported from a deals view (Export → CSV): one row per deal with stage
 * and pipeline labels, and per stage `Date entered "<Stage> (<Pipeline>)"` and
 * `Date exited …` columns, which are the stage history. Stage metadata (order,
 * probability 0–1, closed won) is not in that export; it may come with the warehouse
 * tables deal_pipeline_stage and deal_pipeline (Fivetran's layout), else HubSpot's
 * default pipeline is assumed for stages named as its own.
 */

interface StageColumn {
  field: string;
  kind: 'entered' | 'exited';
  stage: string;
  pipeline: string;
}

export interface HubSpotDealsSpec extends ObjectSpec {
  stageColumns: StageColumn[];
}

const DEAL_FIELDS: FieldSpec[] = [
  { name: 'deal_id', kind: 'id', required: true, aliases: ['Record ID'] },
  { name: 'name', kind: 'text', aliases: ['Deal Name'] },
  { name: 'stage', kind: 'text', required: true, aliases: ['Deal Stage'] },
  { name: 'pipeline', kind: 'text', aliases: ['Pipeline'] },
  { name: 'amount', kind: 'number', aliases: ['Amount'] },
  { name: 'amount_home', kind: 'number', aliases: ['Amount in company currency'] },
  { name: 'currency', kind: 'text', aliases: ['Currency'] },
  { name: 'probability', kind: 'number', aliases: ['Deal probability'] },
  { name: 'close_date', kind: 'date', aliases: ['Close Date'] },
  { name: 'created_at', kind: 'timestamp', aliases: ['Create Date'] },
  { name: 'owner', kind: 'text', aliases: ['Deal owner'] },
  { name: 'type', kind: 'text', aliases: ['Deal Type'] },
  { name: 'last_activity', kind: 'date', aliases: ['Last Activity Date'] },
  { name: 'last_modified', kind: 'timestamp', aliases: ['Last Modified Date'] }
];

const SIGNATURE = ['Record ID', 'Deal Name', 'Deal Stage'];

export const DEAL_PIPELINE_STAGE: ObjectSpec = {
  object: 'HubSpotPipelineStage',
  signature: ['stage_id', 'label', 'pipeline_id', 'display_order', 'probability'],
  fields: [
    { name: 'stage_id', kind: 'id', required: true },
    { name: 'label', kind: 'text', required: true },
    { name: 'pipeline_id', kind: 'id', required: true },
    { name: 'display_order', kind: 'number' },
    { name: 'probability', kind: 'number' },
    { name: 'closed_won', kind: 'bool' },
    { name: 'is_closed', kind: 'bool' },
    { name: 'deleted', kind: 'bool', aliases: ['_fivetran_deleted'] }
  ]
};

export const DEAL_PIPELINE: ObjectSpec = {
  object: 'HubSpotPipeline',
  signature: ['pipeline_id', 'label', 'display_order'],
  fields: [
    { name: 'pipeline_id', kind: 'id', required: true },
    { name: 'label', kind: 'text' },
    { name: 'deleted', kind: 'bool', aliases: ['_fivetran_deleted'] }
  ]
};

const STAGE_COLUMN = /^Date (entered|exited) "(.+) \((.+)\)"$/;

export function hubspotDealsSpec(header: string[]): HubSpotDealsSpec {
  const stageColumns = header.flatMap((h, i) => {
    const m = STAGE_COLUMN.exec(h.trim());
    return m ? [{ field: `${m[1]}_${i}`, kind: m[1] as StageColumn['kind'], stage: m[2], pipeline: m[3] }] : [];
  });
  const stageFields: FieldSpec[] = stageColumns.map((c) => ({ name: c.field, kind: 'timestamp', aliases: [header[Number(c.field.split('_')[1])]] }));
  return { object: 'HubSpotDeal', signature: SIGNATURE, fields: [...DEAL_FIELDS, ...stageFields], stageColumns };
}

function classify(_fileName: string, header: string[]): ObjectSpec | null {
  const deals = hubspotDealsSpec(header);
  if (!lackedColumns(deals, header).length) return deals;
  for (const spec of [DEAL_PIPELINE_STAGE, DEAL_PIPELINE]) if (!lackedColumns(spec, header).length) return spec;
  return null;
}

const dealsSpec = (staged: StagedSet) => staged.get('HubSpotDeal')!.spec as HubSpotDealsSpec;

async function prepare(conn: DuckDBConnection, staged: StagedSet) {
  const warnings = await duplicateIdWarnings(conn, 'stg_hubspotdeal', 'deal');
  await conn.run(NO_RATES_SQL);
  await conn.run(NO_LEADS_SQL);
  const [cur] = await queryRows<{ currencies: number; single: string | null }>(
    conn,
    `SELECT count(DISTINCT upper(currency))::INTEGER AS currencies, any_value(upper(currency)) AS single FROM stg_hubspotdeal`
  );
  const present = staged.get('HubSpotDeal')!.present;
  if (cur.currencies > 1 && !present.has('amount_home')) warnings.push(`${cur.currencies} currencies without "Amount in company currency": amounts are summed as they are`);

  await conn.run(
    `CREATE OR REPLACE TEMP TABLE cur_deals AS
     SELECT rec, deal_id, name, NULL::VARCHAR AS account_id, NULL::VARCHAR AS account_name, NULL::VARCHAR AS owner_id,
            owner AS owner_name, coalesce(pipeline, 'default') AS pipeline, stage, amount, upper(currency) AS currency,
            coalesce(amount_home, amount) AS amount_corporate, round(probability * 100, 6) AS probability, NULL::VARCHAR AS forecast_category,
            NULL::BOOLEAN AS is_closed, NULL::BOOLEAN AS is_won, close_date, created_at, last_activity AS last_activity_date,
            last_modified AS last_modified_at, NULL::TIMESTAMP AS last_stage_change_at, NULL::VARCHAR AS lead_source, type
     FROM stg_hubspotdeal QUALIFY row_number() OVER (PARTITION BY deal_id ORDER BY rec DESC) = 1`
  );

  // Each "Date entered" value is an event: the deal entered that stage then. Columns of
  // other pipelines (a deal moved between pipelines) are left out: their stages are not
  // the deal's pipeline's.
  const entered = dealsSpec(staged).stageColumns.filter((c) => c.kind === 'entered');
  const params: Record<string, string | boolean> = { has_pipeline: present.has('pipeline') };
  const selects = entered.map((c, i) => {
    params[`stage${i}`] = c.stage;
    params[`pipeline${i}`] = c.pipeline;
    return `SELECT rec, "${c.field}" AS event_at, ${i} AS col, $stage${i} AS stage, $pipeline${i} AS col_pipeline FROM stg_hubspotdeal WHERE "${c.field}" IS NOT NULL`;
  });
  const none = `SELECT NULL::INTEGER rec, NULL::TIMESTAMP event_at, 0 col, NULL::VARCHAR stage, NULL::VARCHAR col_pipeline WHERE false`;
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE cur_events AS
     SELECT d.deal_id, row_number() OVER (PARTITION BY d.deal_id ORDER BY e.event_at, e.col)::INTEGER AS seq, e.event_at, e.stage,
            d.amount, d.amount_corporate, d.close_date, NULL::DOUBLE AS probability, NULL::VARCHAR AS forecast_category
     FROM (${selects.length ? selects.join(' UNION ALL ') : none}) e
     JOIN cur_deals d ON d.rec = e.rec AND (lower(e.col_pipeline) = lower(d.pipeline) OR NOT $has_pipeline)`,
    params
  );

  return {
    ...(await latestModification(conn, 'cur_deals', 'last_modified_at', 'Last Modified Date')),
    corporateCurrency: cur.currencies === 1 ? cur.single : null,
    hasActivity: present.has('last_activity'),
    warnings,
    problems: []
  };
}

async function stages(conn: DuckDBConnection, staged: StagedSet) {
  const spec = dealsSpec(staged);
  const fromMetadata = staged.has('HubSpotPipelineStage')
    ? await queryRows<StageHintRow>(
        conn,
        `SELECT coalesce(p.label, s.pipeline_id) AS pipeline, s.label AS stage, s.display_order AS sort_order,
                round(s.probability * 100, 6) AS probability, coalesce(s.is_closed, false) OR coalesce(s.closed_won, false) AS is_closed,
                coalesce(s.closed_won, false) AS is_won
         FROM stg_hubspotpipelinestage s
         LEFT JOIN (${staged.has('HubSpotPipeline') ? 'SELECT pipeline_id, label FROM stg_hubspotpipeline WHERE NOT coalesce(deleted, false)' : 'SELECT NULL::VARCHAR pipeline_id, NULL::VARCHAR label WHERE false'}) p
           ON p.pipeline_id = s.pipeline_id
         WHERE NOT coalesce(s.deleted, false)
         QUALIFY row_number() OVER (PARTITION BY s.pipeline_id, s.label ORDER BY s.rec DESC) = 1`
      )
    : [];
  const fromDeals = await queryRows<StageHintRow>(
    conn,
    `SELECT pipeline, stage, mode(probability) AS probability FROM cur_deals GROUP BY pipeline, stage`
  );
  const dealPipelines = new Map(fromDeals.map((r) => [r.pipeline.toLowerCase(), r.pipeline]));
  const fromColumns = spec.stageColumns.map((c) => ({ pipeline: dealPipelines.get(c.pipeline.toLowerCase()) ?? c.pipeline, stage: c.stage }));
  return stagesPerPipeline(
    [...fromMetadata, ...fromDeals, ...fromColumns],
    [
      { origin: 'export-stage-list', rows: fromMetadata },
      { origin: 'export-columns', rows: fromDeals }
    ],
    HUBSPOT_DEFAULT_STAGES,
    { file: staged.get('HubSpotDeal')!.file, column: 'Deal Stage' }
  );
}

export const hubspot: CrmAdapter = {
  crm: 'hubspot',
  label: 'HubSpot',
  primary: hubspotDealsSpec([]),
  classify,
  prepare,
  dealRows: { table: 'stg_hubspotdeal', id: 'deal_id' },
  stages,
  // HubSpot's deals export has no leads: the settings' statuses keep the lead funnel's rows.
  leadStatuses: (conn, _staged, settings) => deriveSalesforceLeadStatuses(conn, false, settings),
  hasHistory: (staged) => dealsSpec(staged).stageColumns.some((c) => c.kind === 'entered'),
  exportKind: () => 'deals-export'
};

import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../../../db';
import type { Problem } from '../../../errors';
import type { Settings } from '../../../settings';
import { deriveStages, type StageHints } from '../../../stages';
import { normalizeHeader, type ObjectSpec } from '../../fields';
import { SALESFORCE_OBJECTS } from './objects';
import type { Prepared, StagedSet } from '../adapter';

/**
 * Salesforce Data Export and report exports → canonical tables. Reads the staged
 * temporary tables (stg_<object>) and writes one snapshot's rows.
 */

/** A file is an object by its name (Opportunity.csv, any case), else by its headers (API names or report labels). */
export function classifySalesforceFile(fileName: string, header: string[]): ObjectSpec | null {
  const base = fileName.replace(/\.(csv|txt)$/i, '').toLowerCase();
  const byName = SALESFORCE_OBJECTS.find((o) => o.object.toLowerCase() === base);
  if (byName) return byName;
  const headers = new Set(header.map(normalizeHeader));
  const spelled = (o: ObjectSpec, name: string) => {
    const field = o.fields.find((f) => f.name === name);
    return [name, ...(field?.aliases ?? [])].some((n) => headers.has(normalizeHeader(n)));
  };
  return SALESFORCE_OBJECTS.find((o) => o.signature.every((name) => spelled(o, name))) ?? null;
}

const FORECAST_CATEGORY_SQL = (col: string) =>
  `CASE lower(replace(${col}, ' ', '')) WHEN 'bestcase' THEN 'Best Case' WHEN 'forecast' THEN 'Commit' WHEN 'commit' THEN 'Commit'
     WHEN 'pipeline' THEN 'Pipeline' WHEN 'closed' THEN 'Closed' WHEN 'omitted' THEN 'Omitted' ELSE ${col} END`;

/**
 * Prepares the temporary tables cur_deals, cur_events, cur_leads, cur_rates (deduplicated,
 * deleted rows dropped, currencies converted) and checks what only the whole export can
 * tell (currencies without a rate). Writes nothing permanent.
 */
export async function prepareSalesforce(
  conn: DuckDBConnection,
  staged: StagedSet
): Promise<Prepared> {
  const has = (o: string) => staged.has(o);
  const opp = staged.get('Opportunity')!;
  const warnings: string[] = [];
  const problems: Problem[] = [];

  await conn.run(`CREATE OR REPLACE TEMP TABLE cur_rates AS
    SELECT upper(IsoCode) AS iso_code, ConversionRate AS conversion_rate, coalesce(IsCorporate, false) AS is_corporate
    FROM ${has('CurrencyType') ? 'stg_currencytype' : '(SELECT NULL::VARCHAR IsoCode, NULL::DOUBLE ConversionRate, NULL::BOOLEAN IsCorporate) WHERE false'}`);

  const users = has('User')
    ? `SELECT Id, coalesce(Name, trim(concat_ws(' ', FirstName, LastName))) AS name FROM stg_user QUALIFY row_number() OVER (PARTITION BY Id ORDER BY rec DESC) = 1`
    : `SELECT NULL::VARCHAR AS Id, NULL::VARCHAR AS name WHERE false`;
  const accounts = has('Account')
    ? `SELECT Id, Name AS name FROM stg_account WHERE NOT coalesce(IsDeleted, false) QUALIFY row_number() OVER (PARTITION BY Id ORDER BY rec DESC) = 1`
    : `SELECT NULL::VARCHAR AS Id, NULL::VARCHAR AS name WHERE false`;

  const [dup] = await queryRows<{ duplicates: number; deleted: number }>(
    conn,
    `SELECT (count(*) - count(DISTINCT Id))::INTEGER AS duplicates, count(*) FILTER (WHERE IsDeleted)::INTEGER AS deleted FROM stg_opportunity`
  );
  if (dup.duplicates) warnings.push(`${dup.duplicates} duplicate opportunity ids: the last row of each wins`);
  if (dup.deleted) warnings.push(`${dup.deleted} deleted opportunity rows ignored`);

  const [currency] = await queryRows<{ corporate: string | null; currencies: number; single: string | null }>(
    conn,
    `SELECT (SELECT any_value(iso_code) FROM cur_rates WHERE is_corporate) AS corporate,
            count(DISTINCT upper(CurrencyIsoCode))::INTEGER AS currencies,
            any_value(upper(CurrencyIsoCode)) AS single
     FROM stg_opportunity`
  );
  const [rateCount] = await queryRows<{ n: number }>(conn, `SELECT count(*)::INTEGER AS n FROM cur_rates`);
  if (has('CurrencyType')) {
    // amounts are divided by their rate: a rate of 0 (or one beyond the nine decimals Salesforce keeps) makes them infinite
    const rates = staged.get('CurrencyType')!;
    const unusable = await queryRows<{ rec: number; rate: number }>(
      conn,
      `SELECT rec, ConversionRate AS rate FROM stg_currencytype WHERE ConversionRate < 1e-9 ORDER BY rec LIMIT 100`
    );
    for (const r of unusable) {
      problems.push({ file: rates.file, line: rates.recordLines[r.rec - 1], column: 'ConversionRate', reason: `not a conversion rate of at least 0.000000001: ${r.rate}` });
    }
  }
  const corporateCurrency = currency.corporate ?? (currency.currencies === 1 ? currency.single : null);
  if (rateCount.n === 0 && currency.currencies > 1) {
    warnings.push(`${currency.currencies} currencies without a CurrencyType rate table: amounts are summed as they are`);
  }

  await conn.run(
    `CREATE OR REPLACE TEMP TABLE cur_deals AS
     WITH latest AS (
       SELECT * FROM stg_opportunity QUALIFY row_number() OVER (PARTITION BY Id ORDER BY rec DESC) = 1
     )
     SELECT o.rec, o.Id AS deal_id, o.Name AS name, o.AccountId AS account_id,
            coalesce(o.AccountName, a.name) AS account_name,
            o.OwnerId AS owner_id, coalesce(o.OwnerName, u.name) AS owner_name,
            'default' AS pipeline, o.StageName AS stage, o.StageSortOrder AS stage_sort_order,
            o.Amount AS amount, coalesce(upper(o.CurrencyIsoCode), $corporate) AS currency,
            CASE WHEN $converted THEN o.Amount / r.conversion_rate ELSE o.Amount END AS amount_corporate,
            r.conversion_rate,
            o.Probability AS probability,
            ${FORECAST_CATEGORY_SQL('coalesce(o.ForecastCategoryName, o.ForecastCategory)')} AS forecast_category,
            o.IsClosed AS is_closed, o.IsWon AS is_won, o.CloseDate AS close_date, o.CreatedDate AS created_at,
            o.LastActivityDate AS last_activity_date,
            greatest(o.LastModifiedDate, o.SystemModstamp) AS last_modified_at,
            o.LastStageChangeDate AS last_stage_change_at,
            nullif(trim(o.LeadSource), '') AS lead_source, o.Type AS type
     FROM latest o
     LEFT JOIN cur_rates r ON r.iso_code = coalesce(upper(o.CurrencyIsoCode), $corporate)
     LEFT JOIN (${users}) u ON u.Id = o.OwnerId
     LEFT JOIN (${accounts}) a ON a.Id = o.AccountId
     WHERE NOT coalesce(o.IsDeleted, false)`,
    { corporate: corporateCurrency, converted: rateCount.n > 0 }
  );

  if (rateCount.n > 0) {
    const missing = await queryRows<{ rec: number; currency: string }>(
      conn,
      `SELECT rec, currency FROM cur_deals WHERE conversion_rate IS NULL AND currency IS NOT NULL ORDER BY rec LIMIT 100`
    );
    for (const m of missing) {
      problems.push({ file: opp.file, line: opp.recordLines[m.rec - 1], column: 'CurrencyIsoCode', reason: `no conversion rate for ${m.currency} in CurrencyType` });
    }
  }

  const history = has('OpportunityHistory') ? 'stg_opportunityhistory' : null;
  await conn.run(
    history
      ? `CREATE OR REPLACE TEMP TABLE cur_events AS
         SELECT h.OpportunityId AS deal_id,
                row_number() OVER (PARTITION BY h.OpportunityId ORDER BY h.CreatedDate, h.rec)::INTEGER AS seq,
                h.CreatedDate AS event_at, h.StageName AS stage, h.Amount AS amount,
                CASE WHEN $converted THEN h.Amount / d.conversion_rate ELSE h.Amount END AS amount_corporate,
                h.CloseDate AS close_date, h.Probability AS probability,
                ${FORECAST_CATEGORY_SQL('h.ForecastCategory')} AS forecast_category
         FROM ${history} h JOIN cur_deals d ON d.deal_id = h.OpportunityId
         WHERE NOT coalesce(h.IsDeleted, false)`
      : `CREATE OR REPLACE TEMP TABLE cur_events AS
         SELECT NULL::VARCHAR deal_id, NULL::INTEGER seq, NULL::TIMESTAMP event_at, NULL::VARCHAR stage, NULL::DOUBLE amount,
                NULL::DOUBLE amount_corporate, NULL::DATE close_date, NULL::DOUBLE probability, NULL::VARCHAR forecast_category
         WHERE false`,
    history ? { converted: rateCount.n > 0 } : {}
  );

  await conn.run(
    has('Lead')
      ? `CREATE OR REPLACE TEMP TABLE cur_leads AS
         SELECT l.Id AS lead_id, l.Status AS status, nullif(trim(l.LeadSource), '') AS lead_source,
                l.OwnerId AS owner_id, coalesce(l.OwnerName, u.name) AS owner_name, l.Company AS company,
                l.CreatedDate AS created_at, coalesce(l.IsConverted, false) AS is_converted,
                l.ConvertedDate AS converted_date, l.ConvertedOpportunityId AS converted_deal_id,
                greatest(l.LastModifiedDate, l.SystemModstamp) AS last_modified_at
         FROM (SELECT * FROM stg_lead QUALIFY row_number() OVER (PARTITION BY Id ORDER BY rec DESC) = 1) l
         LEFT JOIN (${users}) u ON u.Id = l.OwnerId
         WHERE NOT coalesce(l.IsDeleted, false)`
      : `CREATE OR REPLACE TEMP TABLE cur_leads AS
         SELECT NULL::VARCHAR lead_id, NULL::VARCHAR status, NULL::VARCHAR lead_source, NULL::VARCHAR owner_id,
                NULL::VARCHAR owner_name, NULL::VARCHAR company, NULL::TIMESTAMP created_at, NULL::BOOLEAN is_converted,
                NULL::DATE converted_date, NULL::VARCHAR converted_deal_id, NULL::TIMESTAMP last_modified_at
         WHERE false`
  );

  // as_of: the latest modification the export contains (METRICS.md "Snapshot").
  const [asOf] = await queryRows<{ as_of: Date | null; source: string | null }>(
    conn,
    `SELECT arg_max(source, ts) AS source, max(ts) AS as_of FROM (
       SELECT 'LastModifiedDate' AS source, max(LastModifiedDate) AS ts FROM stg_opportunity
       UNION ALL SELECT 'SystemModstamp', max(SystemModstamp) FROM stg_opportunity
       ${history ? `UNION ALL SELECT 'SystemModstamp', max(SystemModstamp) FROM ${history}` : ''}
       ${has('Lead') ? `UNION ALL SELECT 'LastModifiedDate', max(LastModifiedDate) FROM stg_lead UNION ALL SELECT 'SystemModstamp', max(SystemModstamp) FROM stg_lead` : ''}
     ) WHERE ts IS NOT NULL`
  );

  return {
    asOf: asOf.as_of,
    asOfSource: asOf.source,
    corporateCurrency,
    hasActivity: opp.present.has('LastActivityDate'),
    warnings,
    problems
  };
}

/** Stage settings for this export (METRICS.md "Stage model"), as rows to store. */
export async function deriveSalesforceStages(conn: DuckDBConnection, hasStageFile: boolean, hasHistory: boolean) {
  const toHints = (rows: Record<string, unknown>[]) =>
    new Map<string, StageHints>(
      rows.map((r) => [
        r.stage as string,
        {
          sort_order: (r.sort_order as number | null) ?? undefined,
          probability: (r.probability as number | null) ?? undefined,
          forecast_category: (r.forecast_category as string | null) ?? undefined,
          is_closed: (r.is_closed as boolean | null) ?? undefined,
          is_won: (r.is_won as boolean | null) ?? undefined
        }
      ])
    );
  const fromFile = hasStageFile
    ? await queryRows(
        conn,
        `SELECT MasterLabel AS stage, SortOrder::DOUBLE AS sort_order, DefaultProbability AS probability,
                ForecastCategoryName AS forecast_category, IsClosed AS is_closed, IsWon AS is_won
         FROM stg_opportunitystage QUALIFY row_number() OVER (PARTITION BY MasterLabel ORDER BY rec DESC) = 1`
      )
    : [];
  const fromDeals = await queryRows(
    conn,
    `SELECT stage, mode(stage_sort_order) AS sort_order, mode(probability) AS probability,
            mode(forecast_category) AS forecast_category,
            mode(is_closed) AS is_closed, mode(is_won) AS is_won
     FROM cur_deals GROUP BY stage`
  );
  const fromHistory = hasHistory
    ? await queryRows(
        conn,
        `SELECT stage, mode(probability) AS probability, mode(forecast_category) AS forecast_category FROM cur_events GROUP BY stage`
      )
    : [];
  const names = [...new Set([...fromFile, ...fromDeals, ...fromHistory].map((r) => r.stage as string))];
  return deriveStages(names, [
    { origin: 'export-stage-list', hints: toHints(fromFile) },
    { origin: 'export-columns', hints: toHints(fromDeals) },
    { origin: 'export-history', hints: toHints(fromHistory) }
  ]);
}

/** Lead statuses in funnel order: the export's LeadStatus list, else the settings, then any other status seen. */
export async function deriveSalesforceLeadStatuses(conn: DuckDBConnection, hasStatusFile: boolean, settings: Settings) {
  const listed = hasStatusFile
    ? await queryRows<{ status: string; is_converted: boolean | null }>(
        conn,
        `SELECT MasterLabel AS status, IsConverted AS is_converted FROM stg_leadstatus ORDER BY SortOrder NULLS LAST, rec`
      )
    : settings.lead_statuses.map((s) => ({ status: s.status, is_converted: s.is_converted ?? false }));
  const seen = await queryRows<{ status: string; converted: boolean }>(
    conn,
    `SELECT status, mode(is_converted) AS converted FROM cur_leads WHERE status IS NOT NULL GROUP BY status ORDER BY status`
  );
  const known = new Set(listed.map((s) => s.status.toLowerCase()));
  const all = [...listed, ...seen.filter((s) => !known.has(s.status.toLowerCase())).map((s) => ({ status: s.status, is_converted: s.converted }))];
  return all.map((s, i) => ({
    status: s.status,
    sort_order: i + 1,
    is_converted: Boolean(s.is_converted),
    is_closed: Boolean(s.is_converted) || /^closed\b/i.test(s.status)
  }));
}

import type { Filters, Metric } from './metric';
import { DEAL_FILTER, LEAD_FILTER, dealFilterParams, inPeriod, periodParams, ratio } from './sql';

export interface SourceConversionRow {
  [key: string]: unknown;
  lead_source: string;
  leads: number;
  converted: number;
  lead_conversion: number | null;
  median_days_to_convert: number | null;
  opportunities: number;
  won: number;
  lost: number;
  win_rate_count: number | null;
  won_amount: number;
  avg_won_amount: number | null;
  median_sales_cycle_days: number | null;
  /** deals linked from this source's converted leads (Salesforce ConvertedOpportunityId); null when the export links none */
  converted_leads_deals: number | null;
  converted_leads_won: number | null;
}

/** Sources group on their trimmed lower-case spelling ('' for none) across leads and deals. */
export const SOURCE_CONVERSION_SQL = `
  WITH l AS (
    SELECT coalesce(lower(nullif(trim(l.lead_source), '')), '') AS source_key, nullif(trim(l.lead_source), '') AS spelling,
           l.is_converted, date_diff('day', l.created_at::DATE, l.converted_date) AS days_to_convert, l.converted_deal_id
    FROM leads l WHERE l.snapshot_id = $snapshot AND ${inPeriod('l.created_at')} AND ${LEAD_FILTER}
  ),
  d AS (
    SELECT coalesce(lower(nullif(trim(d.lead_source), '')), '') AS source_key, nullif(trim(d.lead_source), '') AS spelling,
           d.won, d.closed, coalesce(d.amount_corporate, 0) AS amount,
           CASE WHEN d.won THEN date_diff('day', d.created_at::DATE, d.close_date) END AS cycle_days
    FROM deal_states d WHERE d.snapshot_id = $snapshot AND ${inPeriod('d.created_at')} AND ${DEAL_FILTER}
  ),
  spellings AS (
    SELECT source_key, coalesce(mode(spelling), '(none)') AS lead_source
    FROM (SELECT source_key, spelling FROM l UNION ALL SELECT source_key, spelling FROM d) GROUP BY source_key
  ),
  lead_stats AS (
    SELECT source_key, count(*) AS leads, count(*) FILTER (WHERE is_converted) AS converted,
           quantile_cont(days_to_convert, 0.5) FILTER (WHERE is_converted) AS median_days_to_convert
    FROM l GROUP BY source_key
  ),
  deal_stats AS (
    SELECT source_key, count(*) AS opportunities, count(*) FILTER (WHERE won) AS won, count(*) FILTER (WHERE closed AND NOT won) AS lost,
           sum(amount) FILTER (WHERE won) AS won_amount, quantile_cont(cycle_days, 0.5) AS median_sales_cycle_days
    FROM d GROUP BY source_key
  ),
  linked AS (
    SELECT l.source_key, count(DISTINCT x.deal_id) AS deals, count(DISTINCT x.deal_id) FILTER (WHERE x.won) AS won
    FROM l JOIN deal_states x ON x.snapshot_id = $snapshot AND x.deal_id = l.converted_deal_id
    GROUP BY l.source_key
  ),
  links AS (SELECT count(*) > 0 AS known FROM leads WHERE snapshot_id = $snapshot AND converted_deal_id IS NOT NULL)
  SELECT s.lead_source,
         coalesce(ls.leads, 0)::INTEGER AS leads,
         coalesce(ls.converted, 0)::INTEGER AS converted,
         ${ratio('ls.converted', 'ls.leads')} AS lead_conversion,
         ls.median_days_to_convert::DOUBLE AS median_days_to_convert,
         coalesce(ds.opportunities, 0)::INTEGER AS opportunities,
         coalesce(ds.won, 0)::INTEGER AS won,
         coalesce(ds.lost, 0)::INTEGER AS lost,
         ${ratio('ds.won', 'ds.won + ds.lost')} AS win_rate_count,
         coalesce(ds.won_amount, 0)::DOUBLE AS won_amount,
         ${ratio('ds.won_amount', 'ds.won')} AS avg_won_amount,
         ds.median_sales_cycle_days::DOUBLE AS median_sales_cycle_days,
         CASE WHEN links.known THEN coalesce(lk.deals, 0) END::INTEGER AS converted_leads_deals,
         CASE WHEN links.known THEN coalesce(lk.won, 0) END::INTEGER AS converted_leads_won
  FROM spellings s
  CROSS JOIN links
  LEFT JOIN lead_stats ls ON ls.source_key = s.source_key
  LEFT JOIN deal_stats ds ON ds.source_key = s.source_key
  LEFT JOIN linked lk ON lk.source_key = s.source_key
  ORDER BY s.source_key = '', lower(s.lead_source)`;

export function buildSourceConversionSql(f: Filters) {
  return { sql: SOURCE_CONVERSION_SQL, params: { snapshot: f.snapshot, ...periodParams(f), ...dealFilterParams(f) } };
}

export const sourceConversion: Metric<SourceConversionRow> = {
  name: 'source-conversion',
  note:
    'Per lead source (trimmed, grouped regardless of case, shown in its most frequent spelling; empty is "(none)"). Leads created in the period: ' +
    'converted ÷ leads, and the median days from creation to conversion date. Deals created in the period: won ÷ (won + lost), won amount, its ' +
    'average, and the median sales cycle of won deals (close date − created date, in days; "–" when the data-quality check close-before-created finds ' +
    'cycles unusable, or the median comes out negative). Leads count under the lead\'s own source and deals under ' +
    'the deal\'s own source, so a source can show more deals than converted leads (deals entered without a lead, renewals, upsells). Where the ' +
    'export links a converted lead to its deal (Salesforce ConvertedOpportunityId), "converted leads\' deals" counts those deals (and how many are won) ' +
    'under the lead\'s source, whatever the deal\'s own source; without links it is "–". Owner filters both; type and pipeline filter deals only.',
  accepts: ['from', 'to', 'period', 'owner', 'lead_source', 'type', 'pipeline'],
  run(filters, { db }) {
    const { sql, params } = buildSourceConversionSql(filters);
    return db.query<SourceConversionRow>(sql, params);
  }
};

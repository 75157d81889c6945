import type { Filters, Metric } from './metric';
import { LEAD_FILTER, inPeriod, periodParams, ratio } from './sql';

export interface LeadFunnelRow {
  [key: string]: unknown;
  status: string;
  sort_order: number | null;
  leads: number;
  share: number | null;
  converted: number;
  conversion_rate: number | null;
}

/** One row per lead status in status order, then the total row "(all leads)" that carries the conversion rate. */
export const LEAD_FUNNEL_SQL = `
  WITH l AS (
    SELECT * FROM leads l WHERE l.snapshot_id = $snapshot AND ${inPeriod('l.created_at')} AND ${LEAD_FILTER}
  ),
  total AS (SELECT count(*) AS leads, count(*) FILTER (WHERE is_converted) AS converted FROM l)
  SELECT s.status, s.sort_order::INTEGER AS sort_order, count(l.lead_id)::INTEGER AS leads,
         ${ratio('count(l.lead_id)', 'any_value(total.leads)')} AS share,
         count(l.lead_id) FILTER (WHERE l.is_converted)::INTEGER AS converted,
         NULL::DOUBLE AS conversion_rate
  FROM lead_statuses s
  CROSS JOIN total
  LEFT JOIN l ON lower(l.status) = lower(s.status)
  WHERE s.snapshot_id = $snapshot
  GROUP BY s.status, s.sort_order
  UNION ALL
  SELECT '(all leads)', NULL, leads::INTEGER, ${ratio('leads', 'leads')}, converted::INTEGER, ${ratio('converted', 'leads')} FROM total
  ORDER BY sort_order NULLS LAST`;

export function buildLeadFunnelSql(f: Filters) {
  return { sql: LEAD_FUNNEL_SQL, params: { snapshot: f.snapshot, ...periodParams(f), owner: f.owner ?? null, lead_source: f.lead_source ?? null } };
}

export const leadFunnel: Metric<LeadFunnelRow> = {
  name: 'lead-funnel',
  note:
    'Leads created in the period (all leads when no period, and leads without a created date then too), counted by their current status in the ' +
    'lead-status order. Conversion rate = converted leads ÷ all those leads; "–" when there are none.',
  accepts: ['from', 'to', 'period', 'owner', 'lead_source'],
  run(filters, { db }) {
    const { sql, params } = buildLeadFunnelSql(filters);
    return db.query<LeadFunnelRow>(sql, params);
  }
};

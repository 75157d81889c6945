import { LIST, VARCHAR, listValue, type DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../../../db';
import { MAX_PROBLEMS, type Problem } from '../../../errors';
import { deriveStages, type StageHints } from '../../../stages';
import type { Mapping } from './format';
import { quoteIdent, resolveHeader, SqlParams } from './sql';
import { DEAL_KINDS, LEAD_KINDS, lineOf, typeSection, type RawSource, type TypedSection } from './typed';
import type { Prepared as BuildResult } from '../adapter';

/**
 * Any CSV with a column mapping → the temporary tables the write phase reads
 * (cur_deals, cur_events, cur_leads, cur_rates), with the columns and types
 * prepareSalesforce gives them. Mapped files carry no stage history: cur_events is
 * empty and stage events come from successive snapshots.
 */
export { parseMapping, type Mapping, type Condition, type Formats } from './format';
export { proposeMapping, type Proposal } from './propose';
export type { RawSource } from './typed';

/** Which section of the mapping a file with these headers is read as, or null. */
export function matchesMapping(mapping: Mapping, headers: string[]): 'deals' | 'leads' | null {
  const fits = (detect: string[] | undefined) => !!detect?.length && detect.every((h) => resolveHeader(headers, h) != null);
  if (fits(mapping.deals?.detect.headers)) return 'deals';
  if (fits(mapping.leads?.detect.headers)) return 'leads';
  return null;
}

/**
 * `deals` and `leads` are the files the mapping's sections read (null: the upload has none).
 * A mapping may have one section or both; a section without its file is a rejection.
 * `today` bounds the created, close and converted dates that may date the snapshot.
 */
export async function prepareMapped(
  conn: DuckDBConnection,
  deals: RawSource | null,
  mapping: Mapping,
  leads: RawSource | null = null,
  today: Date = new Date()
): Promise<BuildResult> {
  const warnings: string[] = [];
  const lacking = missingFiles(mapping, deals, leads);
  if (lacking.length) return { asOf: null, asOfSource: null, corporateCurrency: null, hasActivity: false, warnings, problems: lacking };
  const typed = deals && mapping.deals ? await typeSection(conn, deals, mapping.deals, mapping.formats, 'map_deals') : await noDeals(conn);
  const problems: Problem[] = [...typed.problems];
  const leadTyped = leads && mapping.leads ? await typeSection(conn, leads, mapping.leads, mapping.formats, 'map_leads') : null;
  problems.push(...(leadTyped?.problems ?? []));
  if (problems.length) return { asOf: null, asOfSource: null, corporateCurrency: null, hasActivity: false, warnings, problems: problems.slice(0, MAX_PROBLEMS) };

  const d = column(typed.headers, DEAL_KINDS);
  const hasRules = typed.rules;
  const [dup] = await queryRows<{ duplicates: number }>(conn, `SELECT (count(*) - count(DISTINCT deal_id))::INTEGER AS duplicates FROM map_deals`);
  if (dup.duplicates) warnings.push(`${dup.duplicates} duplicate deal ids: the last row of each wins`);

  await conn.run(`CREATE OR REPLACE TEMP TABLE cur_rates AS
    SELECT NULL::VARCHAR AS iso_code, NULL::DOUBLE AS conversion_rate, NULL::BOOLEAN AS is_corporate WHERE false`);
  const stageOrder = (mapping.deals?.stages ?? []).map((s) => s.stage);
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE cur_deals AS
     SELECT rec, deal_id, ${d('name')} AS name, NULL::VARCHAR AS account_id, ${d('account')} AS account_name,
            ${d('owner_id')} AS owner_id, ${d('owner')} AS owner_name, coalesce(${d('pipeline')}, 'default') AS pipeline,
            stage, nullif(list_position($stage_order::VARCHAR[], stage), 0)::DOUBLE AS stage_sort_order,
            ${d('amount')} AS amount, coalesce(upper(${d('currency')}), $currency) AS currency, ${d('amount')} AS amount_corporate,
            NULL::DOUBLE AS conversion_rate, ${d('probability')} AS probability, ${d('forecast_category')} AS forecast_category,
            ${hasRules ? 'rule_won OR rule_lost OR rule_closed' : 'NULL::BOOLEAN'} AS is_closed,
            ${hasRules ? 'rule_won' : 'NULL::BOOLEAN'} AS is_won,
            ${d('close_date')} AS close_date, ${d('created_date')} AS created_at, ${d('last_activity_date')} AS last_activity_date,
            ${d('last_modified')} AS last_modified_at, NULL::TIMESTAMP AS last_stage_change_at,
            ${d('lead_source')} AS lead_source, ${d('type')} AS type
     FROM map_deals QUALIFY row_number() OVER (PARTITION BY deal_id ORDER BY rec DESC) = 1`,
    { stage_order: listValue(stageOrder), currency: mapping.formats.currency },
    // typed, as an empty list (a mapping without stages) has no item type to infer
    { stage_order: LIST(VARCHAR) }
  );
  await conn.run(`CREATE OR REPLACE TEMP TABLE cur_events AS
    SELECT NULL::VARCHAR deal_id, NULL::INTEGER seq, NULL::TIMESTAMP event_at, NULL::VARCHAR stage, NULL::DOUBLE amount,
           NULL::DOUBLE amount_corporate, NULL::DATE close_date, NULL::DOUBLE probability, NULL::VARCHAR forecast_category
    WHERE false`);
  await createLeads(conn, leadTyped?.headers ?? null, leadTyped?.rules ?? false);

  const [currency] = await queryRows<{ currencies: number; single: string | null }>(
    conn,
    `SELECT count(DISTINCT currency)::INTEGER AS currencies, any_value(currency) AS single FROM cur_deals`
  );
  if (currency.currencies > 1) warnings.push(`${currency.currencies} currencies without a rate table: amounts are summed as they are`);
  const asOf = await mappedAsOf(
    conn,
    [
      { table: 'map_deals', headers: typed.headers },
      ...(leadTyped ? [{ table: 'map_leads', headers: leadTyped.headers }] : [])
    ],
    today
  );
  return {
    asOf: asOf.asOf,
    asOfSource: asOf.source,
    corporateCurrency: mapping.formats.currency ?? (currency.currencies === 1 ? currency.single : null),
    hasActivity: typed.headers.has('last_activity_date'),
    warnings,
    problems
  };
}

/** A section of the mapping whose file the upload lacks, as a problem naming the headers it looks for. */
function missingFiles(mapping: Mapping, deals: RawSource | null, leads: RawSource | null): Problem[] {
  const lacks = (section: 'deals' | 'leads') => ({
    file: (section === 'deals' ? leads : deals)?.file ?? '(upload)',
    line: null,
    column: null,
    reason: `no file has the ${section} headers of the mapping ${JSON.stringify(mapping.name ?? 'given')}: ${mapping[section]!.detect.headers.join(', ')}`
  });
  if (mapping.deals && !deals) return [lacks('deals')];
  if (!mapping.deals && mapping.leads && !leads) return [lacks('leads')];
  return [];
}

/** An empty typed deals table (a mapping with leads only). */
async function noDeals(conn: DuckDBConnection): Promise<TypedSection> {
  await conn.run(`CREATE OR REPLACE TEMP TABLE map_deals AS SELECT NULL::INTEGER AS rec, NULL::VARCHAR AS deal_id, NULL::VARCHAR AS stage WHERE false`);
  return { headers: new Map(), rules: false, problems: [] };
}

/**
 * The date a mapped file gives its snapshot: the latest modified date when a section maps one;
 * else the latest created, close or converted date not after `today` (open deals' close dates
 * are often planned ones). `sections` are typed tables (typed.ts) with the fields they map.
 */
export async function mappedAsOf(
  conn: DuckDBConnection,
  sections: { table: string; headers: Map<string, string> }[],
  today: Date
): Promise<{ asOf: Date | null; source: string | null }> {
  const latest = async (fields: string[], bounded: boolean) => {
    const p = new SqlParams();
    const day = bounded ? p.add(today.toISOString().slice(0, 10)) : '';
    const parts = sections.flatMap(({ table, headers }) =>
      fields
        .filter((f) => headers.has(f))
        .map(
          (f) =>
            `SELECT max(${quoteIdent(f)})::TIMESTAMP AS v, ${p.add(headers.get(f)!)} AS source FROM ${quoteIdent(table)}` +
            (bounded ? ` WHERE ${quoteIdent(f)}::DATE <= ${day}::DATE` : '')
        )
    );
    if (!parts.length) return null;
    const [row] = await queryRows<{ v: Date; source: string }>(
      conn,
      `SELECT v, source FROM (${parts.join(' UNION ALL ')}) WHERE v IS NOT NULL ORDER BY v DESC, source LIMIT 1`,
      p.params
    );
    return row ? { asOf: row.v, source: row.source } : null;
  };
  return (await latest(['last_modified'], false)) ?? (await latest(['close_date', 'created_date', 'converted_date'], true)) ?? { asOf: null, source: null };
}

async function createLeads(conn: DuckDBConnection, headers: Map<string, string> | null, rules: boolean): Promise<void> {
  if (!headers) {
    await conn.run(`CREATE OR REPLACE TEMP TABLE cur_leads AS
      SELECT NULL::VARCHAR lead_id, NULL::VARCHAR status, NULL::VARCHAR lead_source, NULL::VARCHAR owner_id,
             NULL::VARCHAR owner_name, NULL::VARCHAR company, NULL::TIMESTAMP created_at, NULL::BOOLEAN is_converted,
             NULL::DATE converted_date, NULL::VARCHAR converted_deal_id, NULL::TIMESTAMP last_modified_at
      WHERE false`);
    return;
  }
  const l = column(headers, LEAD_KINDS);
  const rule = rules ? 'rule_converted' : l('converted');
  await conn.run(`CREATE OR REPLACE TEMP TABLE cur_leads AS
    SELECT lead_id, status, ${l('lead_source')} AS lead_source, ${l('owner_id')} AS owner_id, ${l('owner')} AS owner_name,
           ${l('company')} AS company, ${l('created_date')} AS created_at,
           coalesce(${rule}, ${l('converted_date')} IS NOT NULL) AS is_converted, ${l('converted_date')} AS converted_date,
           ${l('converted_deal_id')} AS converted_deal_id, ${l('last_modified')} AS last_modified_at
    FROM map_leads QUALIFY row_number() OVER (PARTITION BY lead_id ORDER BY rec DESC) = 1`);
}

/** A mapped field's column of the typed table, or a typed NULL when the file lacks it. */
function column(headers: Map<string, string>, kinds: Record<string, string>) {
  const nullOf: Record<string, string> = { text: 'VARCHAR', date: 'DATE', timestamp: 'TIMESTAMP', number: 'DOUBLE', probability: 'DOUBLE', bool: 'BOOLEAN' };
  return (field: string) => (headers.has(field) ? `"${field}"` : `NULL::${nullOf[kinds[field]]}`);
}

export interface PreviewCell {
  field: string;
  column: string;
  reason: string;
}
export interface PreviewRow {
  line: number;
  /** Typed values as Pipelens reads them (dates as YYYY-MM-DD, times as YYYY-MM-DD HH:MM:SS). */
  values: Record<string, string | number | boolean | null>;
  /** won, lost, closed or open by the outcome rules; null when the mapping has none. */
  outcome: 'won' | 'lost' | 'closed' | 'open' | null;
  problems: PreviewCell[];
}

/** The first `limit` records of a section as they would be read, with the problems of each cell. */
export async function previewMapped(
  conn: DuckDBConnection,
  source: RawSource,
  mapping: Mapping,
  section: 'deals' | 'leads' = 'deals',
  limit = 20
): Promise<{ fields: string[]; rows: PreviewRow[]; problems: Problem[] }> {
  const spec = mapping[section];
  if (!spec) throw new Error(`previewMapped: the mapping has no ${section} section`);
  const typed = await typeSection(conn, source, spec, mapping.formats, 'map_preview', limit);
  const fields = [...typed.headers.keys()];
  if (!fields.length) return { fields, rows: [], problems: typed.problems };
  const hasRules = section === 'deals' && typed.rules;
  const rows = await queryRows<Record<string, unknown>>(
    conn,
    `SELECT rec, ${fields.map((f) => `"${f}"${['date', 'timestamp'].includes((section === 'deals' ? DEAL_KINDS : LEAD_KINDS)[f as never]) ? '::VARCHAR' : ''} AS "${f}"`).join(', ')}
            ${hasRules ? `, CASE WHEN rule_won THEN 'won' WHEN rule_lost THEN 'lost' WHEN rule_closed THEN 'closed' WHEN rule_won IS NOT NULL THEN 'open' END AS outcome` : ''}
     FROM map_preview ORDER BY rec`
  );
  await conn.run(`DROP TABLE map_preview`);
  const byLine = new Map<number, Problem[]>();
  for (const p of typed.problems) byLine.set(p.line!, [...(byLine.get(p.line!) ?? []), p]);
  const fieldOf = new Map([...typed.headers].map(([f, h]) => [h, f]));
  return {
    fields,
    rows: rows.map((r) => {
      const line = lineOf(source, r.rec as number);
      return {
        line,
        values: Object.fromEntries(fields.map((f) => [f, r[f] as string | number | boolean | null])),
        outcome: (r.outcome as PreviewRow['outcome']) ?? null,
        problems: (byLine.get(line) ?? []).map((p) => ({ field: fieldOf.get(p.column!) ?? 'outcome', column: p.column!, reason: p.reason }))
      };
    }),
    problems: typed.problems
  };
}

/**
 * Stage settings for a mapped export: the mapping's stage list first, then the deals' own columns
 * (most frequent value per stage). `deals` is a relation with cur_deals' stage, probability,
 * forecast_category, is_closed and is_won columns.
 */
export async function deriveMappedStages(conn: DuckDBConnection, mapping: Mapping, deals = 'cur_deals') {
  const fromMapping = new Map<string, StageHints>(
    (mapping.deals?.stages ?? []).map((s, i) => [
      s.stage,
      { sort_order: i + 1, probability: s.probability, forecast_category: s.forecast_category, is_closed: s.closed ?? (s.won ? true : undefined), is_won: s.won }
    ])
  );
  const fromDeals = await queryRows<{ stage: string; probability: number | null; forecast_category: string | null; is_closed: boolean | null; is_won: boolean | null }>(
    conn,
    `SELECT stage, mode(probability) AS probability, mode(forecast_category) AS forecast_category, mode(is_closed) AS is_closed, mode(is_won) AS is_won
     FROM ${deals} GROUP BY stage ORDER BY stage`
  );
  const hints = new Map<string, StageHints>(
    fromDeals.map((r) => [r.stage, { probability: r.probability ?? undefined, forecast_category: r.forecast_category ?? undefined, is_closed: r.is_closed ?? undefined, is_won: r.is_won ?? undefined }])
  );
  return deriveStages([...new Set([...fromMapping.keys(), ...hints.keys()])], [
    { origin: 'mapping', hints: fromMapping },
    { origin: 'export-columns', hints }
  ]);
}

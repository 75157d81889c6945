import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../../../db';
import type { Problem } from '../../../errors';
import type { CsvScan } from '../../csv-scan';
import type { ObjectSpec } from '../../fields';
import { deriveMappedStages, matchesMapping, prepareMapped, type Mapping } from './mapping';
import { namedColumns } from './format';
import { quoteIdent } from './sql';
import { deriveSalesforceLeadStatuses } from '../salesforce/prepare';
import { loadRawCsv, type StagedFile } from '../../stage-csv';
import type { CrmAdapter, StagedSet } from '../adapter';

/**
 * Any CSV (or XLSX) read through a column mapping (mapping.ts, data/mappings/README.md):
 * files are staged as they are, every column text under its own header, and the mapping
 * types them. No stage history: events come from successive snapshots.
 */
export function mappedAdapter(mapping: Mapping, now?: Date): CrmAdapter {
  const spec = (object: 'MappedDeals' | 'MappedLeads', section: Mapping['deals'] | Mapping['leads']): ObjectSpec => ({
    object,
    signature: section?.detect.headers ?? [],
    fields: section ? namedColumns(section).map((c) => ({ name: c.header, kind: 'text' as const })) : []
  });
  const deals = spec('MappedDeals', mapping.deals);
  const leads = spec('MappedLeads', mapping.leads);
  const source = (staged: StagedSet, object: string) => {
    const s = staged.get(object);
    return s ? { table: s.table, file: s.file, recordLines: s.recordLines } : null;
  };
  return {
    crm: 'mapped',
    label: `the mapping ${JSON.stringify(mapping.name ?? 'given')}`,
    primary: deals,
    mappingName: mapping.name ?? undefined,
    // what the mapping reads, not what it is called: the same file read the same way is the same snapshot
    fingerprint: JSON.stringify({ ...mapping, name: null }),
    classify(_name, header) {
      const section = matchesMapping(mapping, header);
      return section === 'deals' ? deals : section === 'leads' ? leads : null;
    },
    stage: stageAsText,
    dealRows: { table: 'map_deals', id: 'deal_id' },
    prepare: (conn, staged) => prepareMapped(conn, source(staged, 'MappedDeals'), mapping, source(staged, 'MappedLeads'), now),
    async stages(conn, staged) {
      // a mapping with leads only has no deals, so no stages
      if (!mapping.deals) return [];
      const stages = await deriveMappedStages(conn, mapping);
      const pipelines = await queryRows<{ pipeline: string }>(conn, `SELECT DISTINCT pipeline FROM cur_deals ORDER BY pipeline`);
      const file = staged.get('MappedDeals')!.file;
      return (pipelines.length ? pipelines : [{ pipeline: 'default' }]).map(({ pipeline }) => ({ pipeline, stages, file, column: mapping.deals!.columns.stage! }));
    },
    leadStatuses: (conn, _staged, settings) => deriveSalesforceLeadStatuses(conn, false, settings),
    hasHistory: () => false,
    exportKind: () => 'mapped'
  };
}

/**
 * The file under its own headers, every value text (the mapping types them). A column without
 * a name is left out when it holds no value (spreadsheets end headers with a comma); refused:
 * one that holds values, headers that only differ in case (SQL cannot tell them apart), and
 * "rec" (the record number's).
 */
export async function stageAsText(conn: DuckDBConnection, file: { name: string; bytes: Uint8Array; scan: CsvScan }, _spec: ObjectSpec, table: string): Promise<StagedFile> {
  const { header } = file.scan;
  const seen = new Map<string, number>();
  const problems: Problem[] = [];
  const unnamed: number[] = [];
  header.forEach((h, i) => {
    const key = h.trim().toLowerCase();
    if (!key) unnamed.push(i);
    else if (key === 'rec') problems.push({ file: file.name, line: 1, column: h, reason: 'a column may not be named "rec": rename it' });
    else if (seen.has(key)) problems.push({ file: file.name, line: 1, column: h, reason: `the column name appears twice (columns ${seen.get(key)! + 1} and ${i + 1})` });
    else seen.set(key, i);
  });
  if (unnamed.length === header.length) problems.push({ file: file.name, line: 1, column: null, reason: 'no column has a name: the first line holds the column names' });
  if (problems.length) return { table, rows: 0, present: new Set(), problems };
  await loadRawCsv(conn, file, table);
  for (const i of unnamed) {
    const [first] = await queryRows<{ rec: number }>(conn, `SELECT rec FROM ${table}_raw WHERE nullif(trim(c${i}), '') IS NOT NULL ORDER BY rec LIMIT 1`);
    if (first) {
      const line = file.scan.recordLines[first.rec - 1] ?? first.rec + 1;
      problems.push({ file: file.name, line, column: `column ${i + 1}`, reason: 'the column has no name but holds values: name it, or remove it' });
    }
  }
  if (problems.length) {
    await conn.run(`DROP TABLE ${table}_raw`);
    return { table, rows: 0, present: new Set(), problems };
  }
  const named = header.flatMap((h, i) => (unnamed.includes(i) ? [] : [`c${i} AS ${quoteIdent(h)}`]));
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${table} AS SELECT rec, ${named.join(', ')} FROM ${table}_raw`);
  await conn.run(`DROP TABLE ${table}_raw`);
  const [{ rows }] = await queryRows<{ rows: number }>(conn, `SELECT count(*)::INTEGER AS rows FROM ${table}`);
  return { table, rows, present: new Set(header.filter((h) => h.trim())), problems };
}

import type { DuckDBConnection } from '@duckdb/node-api';
import type { Problem } from '../../errors';
import type { Settings } from '../../settings';
import type { StageSetting } from '../../stages';
import { normalizeHeader, type ObjectSpec } from '../fields';
import type { CsvScan } from '../csv-scan';
import type { StagedFile } from '../stage-csv';

/**
 * What one CRM's exports need to become a snapshot. The ingest stages each file the
 * adapter recognises, then asks it to fill the temporary tables cur_deals, cur_events,
 * cur_leads and cur_rates (same columns for every CRM) and to name its stages and lead
 * statuses; the write that follows knows no CRM.
 */
export interface CrmAdapter {
  /** snapshots.crm, and the --format value forcing this adapter */
  crm: 'salesforce' | 'hubspot' | 'pipedrive' | 'mapped';
  label: string;
  /** The object without which an upload is not this CRM's export; its signature names it in "lacks …". */
  primary: ObjectSpec;
  /** The object a file holds, from its name and header; null when it is none of this CRM's. */
  classify(fileName: string, header: string[]): ObjectSpec | null;
  /** Staging other than stageCsv's typed columns (mapped files keep their own headers). */
  stage?(conn: DuckDBConnection, file: { name: string; bytes: Uint8Array; scan: CsvScan }, spec: ObjectSpec, table: string): Promise<StagedFile>;
  /** The saved mapping that reads the files (mapped uploads): part of where the data comes from. */
  mappingName?: string;
  /** What besides the files makes an upload a different snapshot (a mapping). */
  fingerprint?: string;
  prepare(conn: DuckDBConnection, staged: StagedSet): Promise<Prepared>;
  /** Where the deal rows and their ids are staged, for the duplicate-id check (after prepare). */
  dealRows?: { table: string; id: string };
  /** Stage settings, per pipeline (METRICS.md "Stage model"). */
  stages(conn: DuckDBConnection, staged: StagedSet): Promise<PipelineStages[]>;
  leadStatuses(conn: DuckDBConnection, staged: StagedSet, settings: Settings): Promise<LeadStatus[]>;
  /** Whether cur_events holds the CRM's own stage history (else events come from snapshots). */
  hasHistory(staged: StagedSet): boolean;
  exportKind(staged: StagedSet): string;
}

export type StagedObject = StagedFile & { file: string; recordLines: Int32Array; spec: ObjectSpec };
export type StagedSet = Map<string, StagedObject>;

export interface PipelineStages {
  pipeline: string;
  stages: StageSetting[];
  /** the file and column the stages were read from, for the too-many-stages rejection */
  file: string;
  column: string;
}

export interface LeadStatus {
  status: string;
  sort_order: number;
  is_converted: boolean;
  is_closed: boolean;
}

export interface Prepared {
  asOf: Date | null;
  asOfSource: string | null;
  corporateCurrency: string | null;
  hasActivity: boolean;
  warnings: string[];
  problems: Problem[];
}

export const stagingTable = (spec: ObjectSpec) => `stg_${spec.object.toLowerCase()}`;

/** The signature columns of `spec` that `header` lacks, under any spelling the spec knows. */
export function lackedColumns(spec: Pick<ObjectSpec, 'signature' | 'fields'>, header: string[]): string[] {
  const have = new Set(header.map(normalizeHeader));
  // a field's own name counts only where it is the header itself (Salesforce API names), not an internal one (HubSpot's deal_id)
  const spellings = (name: string) => {
    const field = spec.fields.find((f) => [f.name, ...(f.aliases ?? [])].some((n) => normalizeHeader(n) === normalizeHeader(name)));
    return [name, ...(field?.aliases ?? [])];
  };
  return spec.signature.filter((name) => !spellings(name).some((n) => have.has(normalizeHeader(n))));
}

export const NO_RATES_SQL = `CREATE OR REPLACE TEMP TABLE cur_rates AS
  SELECT NULL::VARCHAR AS iso_code, NULL::DOUBLE AS conversion_rate, NULL::BOOLEAN AS is_corporate WHERE false`;

export const NO_LEADS_SQL = `CREATE OR REPLACE TEMP TABLE cur_leads AS
  SELECT NULL::VARCHAR lead_id, NULL::VARCHAR status, NULL::VARCHAR lead_source, NULL::VARCHAR owner_id,
         NULL::VARCHAR owner_name, NULL::VARCHAR company, NULL::TIMESTAMP created_at, NULL::BOOLEAN is_converted,
         NULL::DATE converted_date, NULL::VARCHAR converted_deal_id, NULL::TIMESTAMP last_modified_at
  WHERE false`;

export const NO_EVENTS_SQL = `CREATE OR REPLACE TEMP TABLE cur_events AS
  SELECT NULL::VARCHAR deal_id, NULL::INTEGER seq, NULL::TIMESTAMP event_at, NULL::VARCHAR stage, NULL::DOUBLE amount,
         NULL::DOUBLE amount_corporate, NULL::DATE close_date, NULL::DOUBLE probability, NULL::VARCHAR forecast_category
  WHERE false`;

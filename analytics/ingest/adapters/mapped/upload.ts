import type { DuckDBConnection } from '@duckdb/node-api';
import type { Database } from '../../../db';
import { RejectedFileError } from '../../../errors';
import { stageAsText } from './index';
import { scanCsv } from '../../csv-scan';
import { toUtf8 } from '../../decode';
import { expandInputs, type InputFile } from '../../inputs';
import { uploadLimits, withinTimeLimit, type UploadLimits } from '../../limits';
import { deriveMappedStages, mappedAsOf, previewMapped, proposeMapping, type Mapping, type PreviewRow, type RawSource } from './mapping';
import { DEAL_FIELDS } from './format';
import { rawHeaders, typeSection } from './typed';
import type { Problem } from '../../../errors';

export interface InspectedStage {
  stage: string;
  /** rows of the file in this stage */
  deals: number;
  /** closed (won or lost) by the mapping's rules: such stages come after the open ones, whatever their place in the list */
  closed: boolean;
  won: boolean;
}

export interface UploadInspection {
  /** the file mapped: the one asked for, else the upload's CSV that looks most like deals */
  file: string;
  /** every CSV of the upload (spreadsheets as the CSV of their first sheet) */
  files: string[];
  /** the file's named columns (unnamed empty ones are left out, as the upload leaves them) */
  headers: string[];
  /** the mapping Pipelens proposes from the headers and the first rows, and what to check in it */
  proposal: { mapping: Mapping; notes: string[] };
  /** the first rows as the mapping given (else the proposal) reads them */
  preview: { fields: string[]; rows: PreviewRow[]; problems: Problem[] };
  /** the snapshot date the whole file gives with that mapping (YYYY-MM-DD) and the column it comes from; null: the upload time */
  as_of: { date: string | null; source: string | null };
  /** the file's stages in the order the snapshot would have them with that mapping */
  stages: InspectedStage[];
}

export interface InspectOptions {
  /** the file of the upload to map (a CSV's name); default: the one that looks most like deals */
  file?: string;
  /** rows previewed */
  limit?: number;
  /** the day that bounds dates the snapshot may be dated by (default: now) */
  now?: Date;
  /** the upload's limits (limits.ts; default the default settings') */
  limits?: UploadLimits;
  /** stops the inspection when it aborts (the client went away) */
  signal?: AbortSignal;
}

const SAMPLE_ROWS = 200;
const isCsv = (name: string) => /\.(csv|txt)$/i.test(name);

/**
 * For the upload page's mapping step: one CSV of an upload (a spreadsheet's first sheet),
 * its headers, a proposed mapping, a preview of its first rows, and what the whole file
 * gives with the mapping (the snapshot date, the stages). Writes nothing; the staged rows
 * live in temporary tables of one connection.
 */
export async function inspectUpload(db: Database, uploads: InputFile[], mapping: Mapping | null = null, opts: InspectOptions = {}): Promise<UploadInspection> {
  const limits = opts.limits ?? uploadLimits();
  return withinTimeLimit(limits, opts.signal, (signal) => inspect(db, uploads, mapping, { ...opts, limits, signal }));
}

async function inspect(db: Database, uploads: InputFile[], mapping: Mapping | null, opts: InspectOptions & { limits: UploadLimits; signal: AbortSignal }): Promise<UploadInspection> {
  const csvs = expandInputs(uploads, opts.limits).filter((f) => isCsv(f.name));
  const named = opts.file ? csvs.find((f) => f.name === opts.file) : undefined;
  if (opts.file && !named) throw new RejectedFileError([{ file: opts.file, line: null, column: null, reason: `no CSV of that name in the upload (${csvs.map((f) => f.name).join(', ') || 'none'})` }]);
  const file = named ?? likeliestDeals(csvs);
  if (!file) throw new RejectedFileError([{ file: uploads.map((u) => u.name).join(', ') || '(upload)', line: null, column: null, reason: 'no CSV or spreadsheet to map' }]);
  const body = toUtf8(file.bytes).utf8;
  const scan = scanCsv(body, undefined, undefined, opts.limits);
  if (scan.limit) throw new RejectedFileError([{ file: file.name, ...scan.limit }]);
  if (scan.problems.length) throw new RejectedFileError(scan.problems.map((p) => ({ file: file.name, ...p })));
  if (!scan.records) {
    const reason = scan.header.some((h) => h.trim()) ? 'the file has column names but no rows: there is nothing to map' : 'the file is empty';
    throw new RejectedFileError([{ file: file.name, line: null, column: null, reason }]);
  }
  return db.exclusive(async (conn) => {
    const staged = await stageAsText(conn, { name: file.name, bytes: body, scan }, { object: 'MappedDeals', signature: [], fields: [] }, 'stg_inspect');
    if (staged.problems.length) throw new RejectedFileError(staged.problems);
    try {
      const headers = await rawHeaders(conn, 'stg_inspect');
      const sample = (await conn.runAndReadAll(`SELECT * EXCLUDE (rec) FROM stg_inspect ORDER BY rec LIMIT ${SAMPLE_ROWS}`)).getRowsJS() as (string | null)[][];
      const proposal = proposeMapping(headers, sample.map((r) => r.map((v) => v ?? '')));
      const source = { table: 'stg_inspect', file: file.name, recordLines: scan.recordLines };
      const reading = mapping ?? proposal.mapping;
      // a mapping with leads only previews its leads
      const section = reading.deals ? 'deals' : 'leads';
      const preview = await previewMapped(conn, source, reading, section, opts.limit ?? 20);
      const whole = await readWhole(conn, source, reading, section, opts.now ?? new Date());
      return { file: file.name, files: csvs.map((f) => f.name), headers, proposal, preview, ...whole };
    } finally {
      await conn.run('DROP TABLE IF EXISTS stg_inspect');
      await conn.run('DROP TABLE IF EXISTS map_inspect');
    }
  }, opts.signal);
}

/** Of several CSVs, the one whose headers name a deal id and a stage, and most other deal fields; the first on a tie. */
function likeliestDeals(csvs: InputFile[]): InputFile | undefined {
  if (csvs.length < 2) return csvs[0];
  const score = (f: InputFile) => {
    // the header line is enough: the first 64 KB hold it
    const { header } = scanCsv(toUtf8(f.bytes.subarray(0, 65536)).utf8, undefined, 1);
    const columns = proposeMapping(header, []).mapping.deals!.columns;
    return (columns.deal_id ? DEAL_FIELDS.length : 0) + (columns.stage ? DEAL_FIELDS.length : 0) + Object.keys(columns).length;
  };
  const scores = csvs.map(score);
  return csvs[scores.indexOf(Math.max(...scores))];
}

/** The snapshot date and the stage order the whole file gives with `mapping` (nothing where the mapping does not read it). */
async function readWhole(conn: DuckDBConnection, source: RawSource, mapping: Mapping, section: 'deals' | 'leads', now: Date): Promise<Pick<UploadInspection, 'as_of' | 'stages'>> {
  const typed = await typeSection(conn, source, mapping[section]!, mapping.formats, 'map_inspect');
  if (!typed.headers.size) return { as_of: { date: null, source: null }, stages: [] };
  const asOf = await mappedAsOf(conn, [{ table: 'map_inspect', headers: typed.headers }], now);
  const as_of = { date: asOf.asOf ? asOf.asOf.toISOString().slice(0, 10) : null, source: asOf.source };
  // without a stage column (a proposal that found none) there are no stages to order
  if (section === 'leads' || !typed.headers.has('stage')) return { as_of, stages: [] };
  const has = (field: string, type: string) => (typed.headers.has(field) ? `"${field}"` : `NULL::${type}`);
  const deals = `(SELECT stage, ${has('probability', 'DOUBLE')} AS probability, ${has('forecast_category', 'VARCHAR')} AS forecast_category,
      ${typed.rules ? 'rule_won OR rule_lost OR rule_closed' : 'NULL::BOOLEAN'} AS is_closed, ${typed.rules ? 'rule_won' : 'NULL::BOOLEAN'} AS is_won
    FROM map_inspect WHERE stage IS NOT NULL)`;
  const stages = await deriveMappedStages(conn, mapping, deals);
  const counts = new Map(
    ((await conn.runAndReadAll(`SELECT stage, count(*)::INTEGER FROM map_inspect WHERE stage IS NOT NULL GROUP BY stage`)).getRowsJS() as [string, number][])
  );
  return { as_of, stages: stages.map((s) => ({ stage: s.stage, deals: counts.get(s.stage) ?? 0, closed: s.is_closed, won: s.is_won })) };
}

import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { inTransaction, queryRows, type Database } from '../db';
import { BadParameterError, MAX_PROBLEMS, MixedDataError, RejectedFileError, type Problem } from '../errors';
import { MAX_STAGES_PER_PIPELINE } from '../storage/schema';
import { DEFAULT_SETTINGS, type Settings } from '../settings';
import { getSnapshot, type SnapshotSummary } from '../storage/snapshots';
import { scanCsv, scanHeader } from './csv-scan';
import { toUtf8, type Encoding } from './decode';
import { createSnapshotTables, insertStages, rebuildSnapshotEventsAfter, storeDealsAndEvents, storeWithSnapshotEvents } from '../storage/snapshot-events';
import { nextPosition, storeSnapshotRows, VERSIONED } from '../storage/versions';
import { expandInputs, type InputFile } from './inputs';
import { uploadLimits, withinTimeLimit, type UploadLimits } from './limits';
import { stagingTable, type StagedSet } from './adapters/adapter';
import { adapterFor, type CrmAdapter } from './adapters/index';
import { mappedAdapter } from './adapters/mapped/index';
import { matchesMapping, type Mapping } from './adapters/mapped/mapping';
import type { SavedMapping } from './adapters/mapped/saved';
import { detectAdapter } from './detect';
import { MAX_EXAMPLES, type IngestFacts, type QualityCheck } from '../quality/checks';
import { checkAndStore, qualityOf } from '../quality/store';
import { FORGET_LEDGER_FROM_SQL, ledgerRows } from '../metrics/forecast-ledger';
import { stageCsv } from './stage-csv';
import { FIRST_DATE, LAST_DATE, parseInstant } from '../value-range';

export interface IngestOptions {
  /** Explicit snapshot time (ISO); else the export's latest modification; else now. */
  asOf?: string;
  format?: string;
  /** The column mapping for a file no CRM recognises (format mapped); else the first saved one that fits. */
  mapping?: Mapping;
  /** The workspace's saved mappings, tried in order on a file no CRM recognises. */
  savedMappings?: SavedMapping[];
  settings?: Settings;
  now?: Date;
  /** Load even when the upload looks like another organisation's data than the earlier snapshots. */
  force?: boolean;
  /** Which other workspace holds snapshots from this source (named in the refusal). */
  ownerOf?: (source: UploadSource) => Promise<string | null>;
  /** Stops the ingest, nothing written, when it aborts (the client went away, the server is stopping). */
  signal?: AbortSignal;
  /** Limits other than the settings' (limits.ts). */
  limits?: Partial<UploadLimits>;
}

/** Where an upload comes from: its CRM, and the org or mapping when the files tell. */
export interface UploadSource {
  crm: string;
  /** `org:<Salesforce org id>` from a Data Export's ZIP name, `mapping:<name>`, else null */
  key: string | null;
}

export const FORMATS = ['auto', 'salesforce', 'hubspot', 'pipedrive', 'mapped'] as const;

/**
 * One upload → one snapshot, or a RejectedFileError and nothing written. Files are
 * decoded, checked and staged in temporary tables first; the snapshot's rows are then
 * written in one transaction. The same files uploaded again return the snapshot they
 * made the first time.
 */
export interface IngestResult {
  snapshot: SnapshotSummary;
  /** false when the same files had been loaded before: `snapshot` is that earlier one. */
  created: boolean;
  /** the snapshot's data-quality checks */
  quality: QualityCheck[];
}

export async function ingest(db: Database, uploads: InputFile[], opts: IngestOptions = {}): Promise<IngestResult> {
  const format = opts.format ?? 'auto';
  if (!FORMATS.includes(format as (typeof FORMATS)[number])) throw new BadParameterError('format', `one of ${FORMATS.join(', ')}`);
  const asOfOverride = opts.asOf ? parseAsOf(opts.asOf) : null;
  const settings = opts.settings ?? DEFAULT_SETTINGS;
  const limits = uploadLimits(settings, opts.limits);
  // the time limit counts from here: waiting behind another upload is part of it
  const { id, created } = await withinTimeLimit(limits, opts.signal, async (signal) => {
    const files = expandInputs(uploads, limits);
    if (!files.length) throw new RejectedFileError([{ file: '(upload)', line: null, column: null, reason: 'no files' }]);
    signal.throwIfAborted();
    // Staging tables are temporary: they vanish with the connection, whatever happens.
    const sourceKey = orgIdOf(uploads.map((u) => u.name));
    return db.exclusive((conn) => stageAndWrite(conn, files, { ...opts, settings, limits, signal, asOfOverride, sourceKey }), signal);
  });
  // the forecast ledger entry of the new snapshot, so its first forecast view reads instead of computes
  if (created) await ledgerRows(db, settings, { snapshot: id }, 'one');
  return { snapshot: (await getSnapshot(db, id))!, created, quality: await qualityOf(db, id) };
}

async function stageAndWrite(
  conn: DuckDBConnection,
  files: InputFile[],
  opts: IngestOptions & { settings: Settings; limits: UploadLimits; signal: AbortSignal; asOfOverride: Date | null; sourceKey: string | null }
): Promise<{ id: number; created: boolean }> {
  const { limits, signal } = opts;
  const problems: Problem[] = [];
  const ignored: string[] = [];
  const read: { name: string; object: string; rows: number; encoding: Encoding; sha256: string }[] = [];
  const staged: StagedSet = new Map();

  // headers first: the format and the files it reads are known before any file is read whole
  const csvs: { file: InputFile; body: Uint8Array; encoding: Encoding; header: string[] }[] = [];
  for (const file of files) {
    if (!/\.(csv|txt)$/i.test(file.name)) {
      ignored.push(file.name);
      continue;
    }
    const { utf8, encoding } = toUtf8(file.bytes);
    const body = stripReportFooter(utf8);
    const { header, limit } = scanHeader(body, limits);
    if (limit) throw new RejectedFileError([{ file: file.name, ...limit }]);
    csvs.push({ file, body, encoding, header });
  }
  const crm = chooseAdapter(csvs.map((c) => ({ name: c.file.name, header: c.header })), opts, files.map((f) => f.name));

  for (const { file, body, encoding, header } of csvs) {
    const spec = crm.classify(file.name, header);
    if (!spec) {
      ignored.push(file.name);
      continue;
    }
    if (staged.has(spec.object)) {
      problems.push({ file: file.name, line: null, column: null, reason: `a second ${spec.object} file (first: ${staged.get(spec.object)!.file})` });
      continue;
    }
    const scan = scanCsv(body, undefined, MAX_PROBLEMS, limits);
    if (scan.limit) throw new RejectedFileError([{ file: file.name, ...scan.limit }]);
    if (scan.problems.length) {
      problems.push(...scan.problems.map((p) => ({ file: file.name, ...p })));
      continue;
    }
    signal.throwIfAborted();
    const result = await (crm.stage ?? stageCsv)(conn, { name: file.name, bytes: body, scan }, spec, stagingTable(spec));
    problems.push(...result.problems);
    staged.set(spec.object, { ...result, file: file.name, recordLines: scan.recordLines, spec });
    read.push({ name: file.name, object: spec.object, rows: result.rows, encoding, sha256: sha256(file.bytes) });
  }
  if (problems.length) throw new RejectedFileError(problems);

  const contentHash = sha256(
    JSON.stringify({
      crm: crm.crm,
      asOf: opts.asOfOverride?.toISOString() ?? null,
      files: read.map((r) => [r.object, r.sha256]).sort(),
      ...(crm.fingerprint ? { reading: crm.fingerprint } : {})
    })
  );
  const [existing] = await queryRows<{ snapshot_id: number }>(conn, `SELECT snapshot_id FROM snapshots WHERE content_hash = $h`, { h: contentHash });
  if (existing) return { id: existing.snapshot_id, created: false };
  const source: UploadSource = { crm: crm.crm, key: crm.mappingName ? `mapping:${crm.mappingName}` : opts.sourceKey };
  if (!opts.force) await refuseMixedSource(conn, source, opts.ownerOf);

  signal.throwIfAborted();
  const prepared = await crm.prepare(conn, staged);
  if (prepared.problems.length) throw new RejectedFileError(prepared.problems);
  const pipelines = await crm.stages(conn, staged);
  const crowded = pipelines.filter((p) => p.stages.length > MAX_STAGES_PER_PIPELINE);
  if (crowded.length) {
    throw new RejectedFileError(
      crowded.map((p) => ({
        file: p.file,
        line: null,
        column: p.column,
        reason: `${p.stages.length} stages${pipelines.length > 1 ? ` in pipeline ${p.pipeline}` : ''}; at most ${MAX_STAGES_PER_PIPELINE} per pipeline are supported`
      }))
    );
  }
  const statuses = await crm.leadStatuses(conn, staged, opts.settings);
  const facts: IngestFacts = {
    duplicates: crm.dealRows ? await duplicateIds(conn, crm.dealRows) : null,
    knownLeadStatuses: staged.has('LeadStatus')
      ? (await queryRows<{ s: string }>(conn, `SELECT MasterLabel AS s FROM stg_leadstatus WHERE MasterLabel IS NOT NULL`)).map((r) => r.s)
      : opts.settings.lead_statuses.map((s) => s.status)
  };

  const [asOf, asOfSource] = opts.asOfOverride
    ? [opts.asOfOverride, 'explicit']
    : prepared.asOf
      ? [prepared.asOf, prepared.asOfSource!]
      : [opts.now ?? new Date(), 'upload time'];

  const asOfText = asOf.toISOString().replace('T', ' ').replace('Z', '');
  const hasHistory = crm.hasHistory(staged);
  signal.throwIfAborted();
  const id = await inTransaction(conn, async () => {
    const [{ id }] = await queryRows<{ id: number }>(conn, `SELECT nextval('snapshot_id_seq')::INTEGER AS id`);
    const position = await nextPosition(conn, asOfText);
    await conn.run(
      `INSERT INTO snapshots (snapshot_id, crm, export_kind, as_of, as_of_source, loaded_at, content_hash, corporate_currency,
         has_activity, files, ignored_files, warnings, has_history, position, source_key)
       VALUES ($id, $crm, $kind, $as_of::TIMESTAMP, $as_of_source, $loaded_at::TIMESTAMP, $hash,
         $currency, $has_activity, $files::JSON, $ignored::JSON, $warnings::JSON, $has_history, $position, $source_key)`,
      {
        id,
        source_key: source.key,
        position,
        crm: crm.crm,
        kind: crm.exportKind(staged),
        as_of: asOfText,
        as_of_source: asOfSource,
        loaded_at: (opts.now ?? new Date()).toISOString().replace('T', ' ').replace('Z', ''),
        hash: contentHash,
        currency: prepared.corporateCurrency,
        has_activity: prepared.hasActivity,
        has_history: hasHistory,
        files: JSON.stringify(read.map(({ sha256: _, ...r }) => r)),
        ignored: JSON.stringify(ignored),
        warnings: JSON.stringify(prepared.warnings)
      }
    );
    for (const p of pipelines) await insertStages(conn, id, p.stages, p.pipeline);
    await conn.run(`INSERT INTO currency_rates SELECT $id, iso_code, conversion_rate, is_corporate FROM cur_rates`, { id });
    for (const s of statuses) {
      await conn.run(`INSERT INTO lead_statuses VALUES ($id, $status, $sort_order, $converted, $closed)`, {
        id,
        status: s.status,
        sort_order: s.sort_order,
        converted: s.is_converted,
        closed: s.is_closed
      });
    }
    await storeSnapshotRows(conn, VERSIONED.leads, 'cur_leads', position);

    await createSnapshotTables(conn);
    await conn.run(
      `INSERT INTO snap_deals SELECT deal_id, name, account_id, account_name, owner_id, owner_name, pipeline, stage, amount, currency,
         amount_corporate, probability, forecast_category, is_closed, is_won, close_date, created_at, last_activity_date,
         last_modified_at, last_stage_change_at, lead_source, type, NULL, 0 FROM cur_deals`
    );
    if (hasHistory) {
      await conn.run(
        `INSERT INTO snap_events SELECT deal_id, seq, event_at, stage, amount, amount_corporate, close_date, probability, forecast_category, 'history' FROM cur_events`
      );
      await storeDealsAndEvents(conn, id, position);
    } else {
      await storeWithSnapshotEvents(conn, id, position);
    }
    await rebuildSnapshotEventsAfter(conn, position);
    for (const sql of FORGET_LEDGER_FROM_SQL) await conn.run(sql, { position });
    await checkAndStore(conn, id, facts);
    signal.throwIfAborted(); // an interrupt that fell between two queries: roll back rather than commit late
    return id;
  });
  return { id, created: true };
}

/**
 * The CRM adapter for these files: the format asked for; with `mapped`, the mapping
 * given or the first saved one that fits; with `auto`, the CRM the headers show, else
 * the first saved mapping that fits, else a rejection naming the closest format.
 */
function chooseAdapter(files: { name: string; header: string[] }[], opts: IngestOptions, allNames: string[]): CrmAdapter {
  const format = opts.format ?? 'auto';
  const fitting = () => {
    if (opts.mapping) return mappedAdapter(opts.mapping, opts.now);
    // a file the deals section reads; for a mapping with leads only, one its leads section reads
    const reads = (m: Mapping, header: string[]) => matchesMapping(m, header) === (m.deals ? 'deals' : 'leads');
    const saved = (opts.savedMappings ?? []).find((m) => files.some((f) => reads(m.mapping, f.header)));
    return saved ? mappedAdapter(saved.mapping, opts.now) : null;
  };
  if (format === 'mapped') {
    const adapter = fitting();
    if (!adapter) throw new BadParameterError('mapping', 'a column mapping: none is given and no saved mapping fits these files');
    return adapter;
  }
  try {
    return detectAdapter(files, format === 'auto' ? null : adapterFor(format)!, allNames);
  } catch (err) {
    const adapter = format === 'auto' && err instanceof RejectedFileError ? fitting() : null;
    if (!adapter) throw err;
    return adapter;
  }
}

/** Deal ids staged more than once: how many extra rows, and the first ids. */
async function duplicateIds(conn: DuckDBConnection, rows: { table: string; id: string }): Promise<IngestFacts['duplicates']> {
  const [exists] = await queryRows<{ n: number }>(conn, `SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name = $t`, { t: rows.table });
  if (!exists.n) return null;
  const [dup] = await queryRows<{ count: number; examples: string[] | null }>(
    conn,
    `SELECT coalesce(sum(n - 1), 0)::INTEGER AS count, (list(id ORDER BY id))[1:${MAX_EXAMPLES}] AS examples
     FROM (SELECT "${rows.id}"::VARCHAR AS id, count(*) AS n FROM ${rows.table} GROUP BY 1 HAVING count(*) > 1)`
  );
  return { count: dup.count, examples: (dup.examples ?? []).map(String) };
}

/** A Salesforce Data Export is named WE_<org id>_<n>.zip: the org id says whose data it is. */
export function orgIdOf(names: string[]): string | null {
  for (const name of names) {
    const m = /^[Ww][Ee]_(00D[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?)_/.exec(name.split(/[\\/]/).pop() ?? '');
    if (m) return `org:${m[1].slice(0, 15)}`;
  }
  return null;
}

const describeSource = (s: { crm: string; key: string | null }) =>
  s.key?.startsWith('org:') ? `Salesforce org ${s.key.slice(4)}` : s.key?.startsWith('mapping:') ? `files read through mapping ${s.key.slice(8)}` : `a ${s.crm} export`;

/**
 * A workspace holds one organisation's snapshots: an upload from another CRM, another
 * Salesforce org or through another mapping than any snapshot the workspace holds is
 * refused (MixedDataError) unless forced; the refusal names the latest snapshot's source.
 */
async function refuseMixedSource(conn: DuckDBConnection, source: UploadSource, ownerOf?: (s: UploadSource) => Promise<string | null>): Promise<void> {
  const held = await queryRows<{ crm: string; key: string | null }>(
    conn,
    `SELECT crm, source_key AS key FROM snapshots GROUP BY crm, source_key ORDER BY max(position) DESC`
  );
  // an export says whose it is when it names an org or a mapping; one that does not fits any of its CRM
  const fits = (s: { crm: string; key: string | null }) => s.crm === source.crm && (s.key === null || source.key === null || s.key === source.key);
  if (!held.length || held.some(fits)) return;
  const difference = `this upload is ${describeSource(source)}, while this workspace holds ${describeSource(held[0])}`;
  throw new MixedDataError(difference, (await ownerOf?.(source)) ?? null);
}

/** Salesforce report exports end with a blank line and a confidentiality/copyright footer. */
export function stripReportFooter(bytes: Uint8Array): Uint8Array {
  const tailStart = Math.max(0, bytes.length - 4096);
  const tail = Buffer.from(bytes.buffer, bytes.byteOffset + tailStart, bytes.length - tailStart).toString('latin1');
  const m = /\r?\n[ \t]*\r?\n[ \t]*"?Confidential Information - Do Not Distribute[\s\S]*$/.exec(tail);
  return m ? bytes.subarray(0, tailStart + m.index + 1) : bytes;
}

function parseAsOf(value: string): Date {
  const d = parseInstant(value);
  if (!d) throw new BadParameterError('as_of', `an ISO date or timestamp from ${FIRST_DATE} to ${LAST_DATE} (2026-11-20, 2026-11-20T08:00:00Z)`);
  return d;
}

function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

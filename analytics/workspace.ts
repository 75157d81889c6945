import { audit, auditLog, type Actor, type AuditEntry } from './auth';
import { backup, type BackupManifest } from './storage/backup';
import { openDatabase, type Database, type Row } from './db';
import { ConflictError, NotFoundError } from './errors';
import { filterOptions, type FilterOptions } from './filter-options';
import type { QualityCheck } from './quality/checks';
import { qualityOf } from './quality/store';
import { ingest, type IngestOptions, type IngestResult, type UploadSource } from './ingest/ingest';
import type { InputFile } from './ingest/inputs';
import { parseMapping, type Mapping } from './ingest/adapters/mapped/mapping';
import { inspectUpload, type UploadInspection } from './ingest/adapters/mapped/upload';
import { uploadLimits } from './ingest/limits';
import { deleteMapping, loadMapping, loadSavedMapping, savedMappings, saveMapping, type SavedMapping } from './ingest/adapters/mapped/saved';
import { runMetric, type MetricName, type MetricParams, type MetricResult, type MetricRows } from './metrics';
import { visitDurations, type StageVisits, type VisitFilters } from './metrics/visit-durations';
import { prune, type PrunePlan } from './storage/retention';
import { SCHEMA_VERSION } from './storage/schema';
import { checkSettings, DEFAULT_SETTINGS, loadSettings, saveSettings, type Settings } from './settings';
import { deleteSnapshot, getSnapshot, listSnapshots, resolveSnapshotId, type SnapshotSummary } from './storage/snapshots';
import { applyStageOverrides, stageSettingRows, type StageSettingRow } from './storage/stage-overrides';

/** Where one workspace keeps its things: its database, its settings file, its saved mappings. */
export interface WorkspaceFiles {
  db: string;
  /** JSON settings; absent means the defaults */
  settings?: string;
  /** a folder of saved column mappings */
  mappings?: string;
}

export interface WorkspaceDeps {
  /** the slug the workspace is known by (in errors and the audit log) */
  slug?: string;
  /** settings to use instead of reading files.settings */
  settings?: Settings;
  /** the most memory the database takes before spilling to disk (default 1GB) */
  memoryLimit?: string;
  /** where uploads are staged for DuckDB to read (default `.staging` beside the database) */
  stagingDir?: string;
  /** which other workspace (of those `visible`) holds snapshots from a source: the mixing guard names it */
  ownerOf?: (source: UploadSource, visible?: (slug: string) => boolean) => Promise<string | null>;
}

export type WorkspaceIngestOptions = Omit<IngestOptions, 'settings' | 'savedMappings' | 'ownerOf' | 'mapping'> & {
  /** a saved mapping's name, a mapping as JSON text, or a mapping itself */
  mapping?: string | Mapping;
  /** who uploads, for the audit log */
  actor?: Actor | string;
  /** the workspaces the uploader may see: a refusal of mixed data names no other */
  visible?: (slug: string) => boolean;
};

/**
 * One organisation's data: its snapshots, settings and saved mappings, and everything the
 * engine answers about them. This is the engine's whole surface for one workspace; the
 * CLI, the app and the tests all come through it (see index.ts).
 */
export interface Workspace {
  readonly slug: string;
  readonly files: WorkspaceFiles;
  /** A metric's answer, its rows typed by the metric's name. */
  metric<N extends MetricName>(name: N, params?: MetricParams): Promise<MetricResult<MetricRows[N]>>;
  /** A metric named at run time (the API, the CLI): UnknownMetricError for a name that is none. */
  metricByName(name: string, params?: MetricParams): Promise<MetricResult<Row>>;
  /** The snapshot a `snapshot` parameter names (id or latest); null when nothing is loaded; NotFoundError when it is gone. */
  resolveSnapshot(ref?: string | number): Promise<number | null>;
  filterOptions(snapshot: number | null): Promise<FilterOptions>;
  visitDurations(snapshot: number, filters: VisitFilters): Promise<StageVisits[]>;
  snapshots(): Promise<SnapshotSummary[]>;
  snapshot(id: number): Promise<SnapshotSummary | null>;
  /** A snapshot's data-quality checks (NotFoundError when it is gone). */
  quality(id: number): Promise<QualityCheck[]>;
  deleteSnapshot(id: number, actor: Actor | string): Promise<void>;
  ingest(files: InputFile[], opts?: WorkspaceIngestOptions): Promise<IngestResult>;
  settings(): Settings;
  /** Saves the settings and applies them to every snapshot at once. */
  replaceSettings(next: Settings, actor: Actor | string, detail?: string): Promise<void>;
  stageSettingRows(snapshot: number): Promise<StageSettingRow[]>;
  mappings(): SavedMapping[];
  /** A saved mapping by name, or (the CLI) a mapping file's path. */
  mapping(ref: string): Mapping;
  saveMapping(name: string, mapping: unknown, actor: Actor | string): Promise<SavedMapping>;
  /** Deletes a saved mapping (NotFoundError when there is none of that name). */
  deleteMapping(name: string, actor: Actor | string): Promise<void>;
  /** `file`: which CSV of the upload to map (default: the one most like deals); `signal` stops it (the client went away). */
  inspectUpload(files: InputFile[], mapping?: string | Mapping | null, file?: string, signal?: AbortSignal): Promise<UploadInspection>;
  prune(opts: { dryRun?: boolean }, actor: Actor | string): Promise<PrunePlan>;
  backup(dir: string): Promise<BackupManifest>;
  audit(actor: Actor | string, action: string, snapshot?: number | null, detail?: string | null): Promise<void>;
  auditLog(): Promise<AuditEntry[]>;
  health(): Promise<{ schema_version: number; snapshots: number }>;
  /** Where the latest snapshot's export came from (its CRM, org or mapping); null before the first. */
  latestSource(): Promise<{ crm: string; key: string | null } | null>;
  /** Resolves once the writes queued so far are done. */
  idle(): Promise<void>;
  close(): void;
}

/** Opens (and migrates) one workspace's database and applies its settings. */
export async function openWorkspace(files: WorkspaceFiles | string, deps: WorkspaceDeps = {}): Promise<Workspace> {
  const where: WorkspaceFiles = typeof files === 'string' ? { db: files } : files;
  const db = await openDatabase(where.db, undefined, { memoryLimit: deps.memoryLimit, stagingDir: deps.stagingDir });
  let settings = deps.settings ?? (where.settings ? loadSettings(where.settings) : DEFAULT_SETTINGS);
  await applyStageOverrides(db, settings);
  return workspaceOn(db, where, settings, deps);
}

function workspaceOn(db: Database, files: WorkspaceFiles, initial: Settings, deps: WorkspaceDeps): Workspace {
  let settings = initial;
  const slug = deps.slug ?? 'default';
  const mappings = () => (files.mappings ? savedMappings(files.mappings) : []);
  const named = (ref: string | Mapping | null | undefined): Mapping | undefined => {
    if (ref === null || ref === undefined) return undefined;
    if (typeof ref !== 'string') return ref;
    if (ref.trim().startsWith('{')) return parseMapping(ref, 'mapping');
    return loadSavedMapping(ref.trim(), files.mappings ?? '\0');
  };
  return {
    slug,
    files,
    metric: <N extends MetricName>(name: N, params: MetricParams = {}) =>
      // the one place a metric's rows get their type: BY_NAME ties each name to its module
      runMetric(db, settings, name, params) as Promise<MetricResult<MetricRows[N]>>,
    metricByName: (name, params = {}) => runMetric(db, settings, name, params),
    resolveSnapshot: (ref) => resolveSnapshotId(db, ref),
    filterOptions: (snapshot) => filterOptions(db, snapshot, settings.fiscal_year_start_month),
    visitDurations: (snapshot, filters) => visitDurations(db, snapshot, filters),
    snapshots: () => listSnapshots(db),
    snapshot: (id) => getSnapshot(db, id),
    async quality(id) {
      const checks = await qualityOf(db, id);
      if (!checks.length) throw new NotFoundError(`snapshot ${id}`);
      return checks;
    },
    async deleteSnapshot(id, actor) {
      await deleteSnapshot(db, id);
      await audit(db, actor, 'delete snapshot', id);
    },
    async ingest(uploads, opts = {}) {
      const { actor, mapping, visible, ...rest } = opts;
      const ownerOf = deps.ownerOf && ((source: UploadSource) => deps.ownerOf!(source, visible));
      const result = await ingest(db, uploads, { ...rest, mapping: named(mapping), settings, savedMappings: mappings(), ownerOf });
      if (actor) {
        const names = uploads.map((f) => f.name).join(', ');
        await audit(db, actor, result.created ? 'upload' : 'upload (already loaded)', result.snapshot.snapshot_id, names);
      }
      return result;
    },
    settings: () => settings,
    async replaceSettings(next, actor, detail) {
      if (!files.settings) throw new ConflictError(`workspace ${slug} keeps no settings file`);
      // Readers keep the old settings until the database holds the new stage settings (the
      // write may queue behind an upload), then see both at once.
      checkSettings(next);
      await applyStageOverrides(db, next);
      try {
        saveSettings(next, files.settings);
      } catch (err) {
        await applyStageOverrides(db, settings);
        throw err;
      }
      settings = next;
      await audit(db, actor, 'settings', null, detail ?? null);
    },
    stageSettingRows: (snapshot) => stageSettingRows(db, snapshot),
    mappings,
    mapping: (ref) => loadMapping(ref, files.mappings ?? '\0'),
    async saveMapping(name, mapping, actor) {
      if (!files.mappings) throw new ConflictError(`workspace ${slug} keeps no mappings folder`);
      const saved = saveMapping(name, mapping, files.mappings);
      await audit(db, actor, 'save mapping', null, saved.name);
      return saved;
    },
    async deleteMapping(name, actor) {
      if (!files.mappings) throw new NotFoundError(`mapping ${name}`);
      deleteMapping(name, files.mappings);
      await audit(db, actor, 'delete mapping', null, name);
    },
    inspectUpload: (uploads, mapping, file, signal) => inspectUpload(db, uploads, named(mapping) ?? null, { file, limits: uploadLimits(settings), signal }),
    async prune(opts, actor) {
      const plan = await prune(db, settings, opts);
      if (!opts.dryRun && plan.remove.length) await audit(db, actor, 'prune', null, `removed ${plan.remove.join(', ')}`);
      return plan;
    },
    backup: (dir) => backup(db, dir),
    audit: (actor, action, snapshot = null, detail = null) => audit(db, actor, action, snapshot, detail),
    auditLog: () => auditLog(db),
    async health() {
      const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::INTEGER AS n FROM snapshots');
      return { schema_version: SCHEMA_VERSION, snapshots: n };
    },
    async latestSource() {
      const [latest] = await db.query<{ crm: string; key: string | null }>(`SELECT crm, source_key AS key FROM snapshots ORDER BY position DESC LIMIT 1`);
      return latest ?? null;
    },
    idle: () => db.exclusive(async () => undefined),
    close: () => db.close()
  };
}

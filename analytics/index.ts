/**
 * The engine's front door. Everything outside analytics/ (the CLI, app/lib/server, the
 * tests of behaviour) comes through here: `openWorkspaces` for the registry of a data
 * directory, `openWorkspace` for one workspace, whose methods are the engine's whole
 * surface (typed metrics, filter options, ingest, snapshots, settings, mappings, audit).
 * Nothing here knows HTTP: errors carry a kind (errors.ts) that the edges map to answers.
 */
export {
  dataLocations,
  DEFAULT_WORKSPACE,
  DEMO_WORKSPACE,
  openWorkspaces,
  slugify,
  type DataLocations,
  type WorkspaceInfo,
  type Workspaces
} from './workspaces';
export { openWorkspace, type Workspace, type WorkspaceFiles, type WorkspaceIngestOptions } from './workspace';
export {
  BadParameterError,
  ConflictError,
  EngineError,
  ForbiddenError,
  formatProblem,
  IngestStoppedError,
  MixedDataError,
  NotFoundError,
  RejectedFileError,
  TooManyAttemptsError,
  StorageFullError,
  UnknownMetricError,
  UploadTooLargeError,
  type ErrorKind,
  type Problem
} from './errors';
export {
  actorIn,
  allows,
  authEnabled,
  MAX_PASSWORD_LENGTH,
  OPEN_PRINCIPAL,
  ROLES,
  SESSION_DAYS,
  SIGN_IN_LIMIT,
  SIGN_IN_WINDOW_MINUTES,
  type Actor,
  type AuditEntry,
  type Credentials,
  type Principal,
  type Role,
  type TokenInfo,
  type UserInfo
} from './auth';
export type { MetricName, MetricParams, MetricResult, MetricRows } from './metrics';
export type { Row } from './db';
export { OVERVIEW_NOTES } from './metrics/overview';
export type { StageVisits, VisitFilters } from './metrics/visit-durations';
export type { FilterOptions } from './filter-options';
export { parseSnapshotId, type SnapshotSummary } from './storage/snapshots';
export { FIRST_DATE, isCalendarDate, LAST_DATE, MAX_NUMBER } from './value-range';
export type { QualityCheck, Severity } from './quality/checks';
export type { Caveat } from './quality/guards';
export type { IngestResult, UploadSource } from './ingest/ingest';
export { readInputPaths, type InputFile } from './ingest/inputs';
export type { Mapping, Condition, DealField } from './ingest/adapters/mapped/format';
export type { UploadInspection } from './ingest/adapters/mapped/upload';
export type { SavedMapping } from './ingest/adapters/mapped/saved';
export { checkSettings, DEFAULT_SETTINGS, type Settings } from './settings';
export { stageOverridesAfterEdit, type Outcome, type StageEdit, type StageSettingRow } from './storage/stage-overrides';
export { FORECAST_CATEGORIES } from './stages';
export { fiscalQuarterOf, parseFiscalQuarter, shiftQuarter } from './fiscal';
export { qualityToCsv, toArrow, toCsv } from './output';
export { restore, type BackupManifest } from './storage/backup';
export type { PrunePlan } from './storage/retention';

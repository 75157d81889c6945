/**
 * The app's one way into the engine: routes, hooks and load functions import from here
 * only ($lib/server), types included. The engine's own front door is analytics/index.ts.
 */
export {
  actorIn,
  allows,
  BadParameterError,
  DEFAULT_WORKSPACE,
  DEMO_WORKSPACE,
  fiscalQuarterOf,
  FORECAST_CATEGORIES,
  MAX_PASSWORD_LENGTH,
  NotFoundError,
  OPEN_PRINCIPAL,
  OVERVIEW_NOTES,
  parseFiscalQuarter,
  SESSION_DAYS,
  shiftQuarter,
  SIGN_IN_LIMIT,
  SIGN_IN_WINDOW_MINUTES,
  stageOverridesAfterEdit,
  TooManyAttemptsError,
  type Actor,
  type Caveat,
  type FilterOptions,
  type MetricRows,
  type Outcome,
  type Principal,
  type QualityCheck,
  type Settings,
  type SnapshotSummary,
  type StageEdit,
  type StageVisits,
  type TokenInfo,
  type UserInfo,
  type Workspace,
  type WorkspaceInfo
} from '../../../analytics';
export { signInRequired, workspaces } from './registry';
export { createApi } from './api';
export { untilStopped } from './stop';
export { crossSiteWrite, hostAllowed, oversizedForm, safeNext, SESSION_COOKIE, statusOf, workspaceOfPath } from './edge';
export { engineError, metric, onePipelineAtATime, pageWorkspace, reportPage, snapshotId, type ReportPage } from './page-data';
export { pageChart, renderChart } from './render-chart';

import type { MetricRows } from '../../../analytics';

/** Row types of the metrics the pages show, by metric name. */
export type FunnelRow = MetricRows['funnel'];
export type LeadFunnelRow = MetricRows['lead-funnel'];
export type DealRow = MetricRows['deals'];
export type ForecastRow = MetricRows['forecast'];
export type ForecastAccuracyRow = MetricRows['forecast-accuracy'];
export type ForecastTrendRow = MetricRows['forecast-trend'];
export type OpenPipelineRow = MetricRows['open-pipeline'];
export type OverviewRow = MetricRows['overview'];
export type StageDurationRow = MetricRows['stage-durations'];
export type StuckDealRow = MetricRows['stuck-deals'];
export type TrendRow = MetricRows['trends'];
export type WinRateRow = MetricRows['win-rates'];

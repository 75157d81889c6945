/**
 * The app's one way into the engine: routes, hooks and load functions import from here
 * only ($lib/server), types included. The engine's own front door is analytics/index.ts.
 */
export {
  actorIn,
  allows,
  authEnabled,
  BadParameterError,
  DEFAULT_WORKSPACE,
  DEMO_WORKSPACE,
  fiscalQuarterOf,
  FORECAST_CATEGORIES,
  NotFoundError,
  OPEN_PRINCIPAL,
  OVERVIEW_NOTES,
  parseFiscalQuarter,
  SESSION_DAYS,
  shiftQuarter,
  stageOverridesAfterEdit,
  type Actor,
  type FilterOptions,
  type MetricRows,
  type Outcome,
  type Principal,
  type Settings,
  type SnapshotSummary,
  type StageEdit,
  type StageVisits,
  type Workspace,
  type WorkspaceInfo
} from '../../../analytics';
export { workspaces } from './registry';
export { createApi } from './api';
export { crossSiteWrite, SESSION_COOKIE, statusOf, workspaceOfPath } from './edge';
export { engineError, filterOptions, metric, onePipelineAtATime, pageWorkspace, reportPage, snapshotId, type ReportPage } from './page-data';
export { pageChart, renderChart } from './render-chart';

/** Row types of the metrics the pages show, by metric name. */
export type FunnelRow = import('../../../analytics').MetricRows['funnel'];
export type LeadFunnelRow = import('../../../analytics').MetricRows['lead-funnel'];
export type DealRow = import('../../../analytics').MetricRows['deals'];
export type ForecastRow = import('../../../analytics').MetricRows['forecast'];
export type ForecastAccuracyRow = import('../../../analytics').MetricRows['forecast-accuracy'];
export type ForecastTrendRow = import('../../../analytics').MetricRows['forecast-trend'];
export type OpenPipelineRow = import('../../../analytics').MetricRows['open-pipeline'];
export type OverviewRow = import('../../../analytics').MetricRows['overview'];
export type StageDurationRow = import('../../../analytics').MetricRows['stage-durations'];
export type StuckDealRow = import('../../../analytics').MetricRows['stuck-deals'];
export type TrendRow = import('../../../analytics').MetricRows['trends'];
export type WinRateRow = import('../../../analytics').MetricRows['win-rates'];

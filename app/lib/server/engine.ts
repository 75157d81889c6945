/**
 * What the pages' load() functions use from the engine, in one place, so routes import
 * from $lib/server only (the database and settings come from gateway.ts).
 */
export { runMetric, type MetricResult } from '../../../analytics/metrics';
export { OVERVIEW_NOTES, type OverviewRow } from '../../../analytics/metrics/overview';
export { openPipeline, type OpenPipelineRow } from '../../../analytics/metrics/open-pipeline';
export { listSnapshots, type SnapshotSummary } from '../../../analytics/snapshots';
export { BadParameterError, NotFoundError } from '../../../analytics/errors';

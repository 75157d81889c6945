import type { Database, Row } from '../db';
import { BadParameterError, UnknownMetricError } from '../errors';
import { parseFiscalQuarter } from '../fiscal';
import type { Settings } from '../settings';
import { parseSnapshotId, resolveSnapshotId } from '../storage/snapshots';
import { isCalendarDate } from '../value-range';
import { guardRows, type Caveat } from '../quality/guards';
import { DEAL_CHECK_WHERE, isDealCheck } from '../quality/checks';
import { qualityOf } from '../quality/store';
import type { FilterName, Filters, Metric } from './metric';
import { forecast } from './forecast';
import { forecastAccuracy } from './forecast-accuracy';
import { forecastTrend } from './forecast-trend';
import { deals } from './deals';
import { funnel } from './funnel';
import { leadFunnel } from './lead-funnel';
import { openPipeline } from './open-pipeline';
import { overview } from './overview';
import { pipelineChangeDeals } from './pipeline-change-deals';
import { BUCKETS, pipelineChanges } from './pipeline-changes';
import { slippage, slippedAmount } from './slippage';
import { sourceConversion } from './source-conversion';
import { stageDurations } from './stage-durations';
import { STUCK_REASON_NAMES, stuckDeals, stuckReasons } from './stuck-deals';
import { trends } from './trends';
import { velocity } from './velocity';
import { winRates } from './win-rates';

/** Every metric the API and the CLI serve, by name (each key is its metric's `name`). */
const BY_NAME = {
  funnel,
  'lead-funnel': leadFunnel,
  'stage-durations': stageDurations,
  'win-rates': winRates,
  'source-conversion': sourceConversion,
  forecast,
  'forecast-accuracy': forecastAccuracy,
  'stuck-deals': stuckDeals,
  'stuck-reasons': stuckReasons,
  'pipeline-changes': pipelineChanges,
  'pipeline-change-deals': pipelineChangeDeals,
  velocity,
  trends,
  'forecast-trend': forecastTrend,
  slippage,
  'slipped-amount': slippedAmount,
  overview,
  'open-pipeline': openPipeline,
  deals
} as const;

export type MetricName = keyof typeof BY_NAME;
/** The row type of each metric, by name: `MetricRows['funnel']` is a funnel row. */
export type MetricRows = { [N in MetricName]: (typeof BY_NAME)[N] extends Metric<infer R> ? R : never };

export const METRICS: Record<string, Metric> = BY_NAME as unknown as Record<string, Metric>;

export function isMetricName(name: string): name is MetricName {
  return Object.hasOwn(BY_NAME, name);
}

const FILTER_NAMES: FilterName[] = ['from', 'to', 'period', 'owner', 'lead_source', 'type', 'pipeline', 'by', 'base', 'stage', 'reached', 'furthest', 'check', 'reason', 'limit', 'status', 'forecast_category', 'date_field', 'bucket'];
const RESERVED = new Set(['snapshot', 'format']);

export interface MetricResult<R = Row> {
  metric: string;
  note: string;
  snapshot_id: number | null;
  as_of: string | null;
  rows: R[];
  /** figures left null because a data-quality check marks their inputs unusable */
  caveats: Caveat[];
}

/** Raw parameters, as a URL query or CLI flags give them. */
export type MetricParams = Record<string, string | undefined>;

/**
 * Answers are cached by database, data version, settings, metric and parameters:
 * snapshots do not change once loaded, and any write moves the version on. Concurrent
 * identical requests share one computation. Callers must not mutate the rows.
 */
const CACHE_SIZE = 256;
const cache = new Map<string, Promise<MetricResult>>();
const databaseIds = new WeakMap<Database, number>();
let nextDatabaseId = 0;

export function runMetric(db: Database, settings: Settings, name: string, params: Record<string, string | undefined>): Promise<MetricResult> {
  if (!databaseIds.has(db)) databaseIds.set(db, nextDatabaseId++);
  const defined = Object.entries(params).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b));
  const key = JSON.stringify([databaseIds.get(db), db.version, settings, name, defined]);
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit); // most recently used last
    return hit;
  }
  const result = computeMetric(db, settings, name, params);
  cache.set(key, result);
  result.catch(() => cache.delete(key));
  while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return result;
}

/**
 * Runs a metric from raw parameters (URL query or CLI flags): unknown names and
 * malformed values are BadParameterErrors naming the parameter. With no snapshot
 * loaded yet the result has no rows.
 */
/** The same without the cache (the bench times this). */
export async function computeMetric(db: Database, settings: Settings, name: string, params: Record<string, string | undefined>): Promise<MetricResult> {
  if (!isMetricName(name)) throw new UnknownMetricError(name);
  const metric = METRICS[name];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || RESERVED.has(key)) continue;
    if (!FILTER_NAMES.includes(key as FilterName)) throw new BadParameterError(key, 'unknown parameter');
    if (!metric.accepts.includes(key as FilterName)) throw new BadParameterError(key, `not accepted by ${name}`);
  }
  const snapshot = await resolveSnapshotId(db, params.snapshot).catch((err) => {
    throw new BadParameterError('snapshot', err.message);
  });
  if (snapshot === null) return { metric: name, note: metric.note, snapshot_id: null, as_of: null, rows: [], caveats: [] };
  const filters = parseFilters(params, snapshot, settings);
  const [{ as_of }] = await db.query<{ as_of: string }>(
    `SELECT strftime(as_of, '%Y-%m-%dT%H:%M:%SZ') AS as_of FROM snapshots WHERE snapshot_id = $id`,
    { id: snapshot }
  );
  const checks = await qualityOf(db, snapshot); // first: a snapshot loaded before checks existed is checked now, and metrics read the checks
  const { rows, caveats } = guardRows(name, await metric.run(filters, { db, settings, asOf: as_of }), checks);
  return { metric: name, note: metric.note, snapshot_id: snapshot, as_of, rows, caveats };
}

function parseFilters(params: Record<string, string | undefined>, snapshot: number, settings: Settings): Filters {
  const filters: Filters = { snapshot };
  for (const key of ['from', 'to'] as const) {
    const v = params[key];
    if (v === undefined) continue;
    if (!isCalendarDate(v)) throw new BadParameterError(key, 'a date YYYY-MM-DD the calendar has');
    filters[key] = v;
  }
  if (params.period !== undefined) {
    if (params.from || params.to) throw new BadParameterError('period', 'give either period or from/to');
    const q = parseFiscalQuarter(params.period, settings.fiscal_year_start_month);
    if (!q) throw new BadParameterError('period', 'a fiscal quarter such as FY2024Q3');
    filters.from = q.from;
    filters.to = q.to;
  }
  const choices = { status: ['open', 'won', 'lost', 'closed'], date_field: ['close', 'created'], bucket: BUCKETS, reason: STUCK_REASON_NAMES } as const;
  for (const key of ['status', 'date_field', 'bucket', 'reason'] as const) {
    const v = params[key];
    if (v === undefined) continue;
    if (!(choices[key] as readonly string[]).includes(v)) throw new BadParameterError(key, `one of ${choices[key].join(', ')}`);
    (filters as unknown as Record<string, string>)[key] = v;
  }
  for (const key of ['owner', 'lead_source', 'type', 'pipeline', 'by', 'stage', 'reached', 'furthest', 'forecast_category'] as const) {
    const v = params[key];
    if (v === undefined) continue;
    if (!v.trim() || v.length > 200) throw new BadParameterError(key, 'a non-empty value of at most 200 characters');
    filters[key] = v;
  }
  if (params.check !== undefined) {
    if (!isDealCheck(params.check)) throw new BadParameterError('check', `one of ${Object.keys(DEAL_CHECK_WHERE).join(', ')}`);
    filters.check = params.check;
  }
  if (params.limit !== undefined) {
    const limit = Number(params.limit);
    if (!/^\d+$/.test(params.limit) || limit < 1 || limit > 1_000_000) throw new BadParameterError('limit', 'a whole number from 1 to 1,000,000');
    filters.limit = limit;
  }
  if (params.base !== undefined) {
    const base = parseSnapshotId(params.base);
    if (base === null) throw new BadParameterError('base', 'a snapshot id');
    filters.base = base;
  }
  if (filters.from && filters.to && filters.from > filters.to) throw new BadParameterError('from', 'after to');
  return filters;
}

import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { openPipelineChart, type OpenPipelineChartRow } from '$lib/charts/open-pipeline-chart';
import { localeFromAcceptLanguage } from '$lib/format';
import { BadParameterError, listSnapshots, NotFoundError, OVERVIEW_NOTES, runMetric, type OpenPipelineRow, type OverviewRow } from '$lib/server/engine';
import { getDatabase, getSettings } from '$lib/server/gateway';
import { renderChart } from '$lib/server/render-chart';
import { sparklineChart, type SparkPoint, type SparklineOptions } from '$lib/charts/sparkline-chart';
import { fiscalQuarterOf } from '../../analytics/fiscal';

/** At most this many snapshots (up to the one shown) make a sparkline. */
const SPARK_SNAPSHOTS = 12;

interface ForecastRow {
  quarter: string;
  commit_forecast: number;
  weighted: number;
  closed_won: number;
  commit: number;
}

interface VelocityRow {
  avg_cycle_days: number | null;
  velocity: number | null;
  open_deals: number;
  won: number;
}

export const load: PageServerLoad = async ({ url, request }) => {
  const snapshot = url.searchParams.get('snapshot') ?? undefined;
  const locale = localeFromAcceptLanguage(request.headers.get('accept-language'));
  const db = await getDatabase();
  const settings = getSettings();

  const fail = (err: unknown): never => {
    if (err instanceof BadParameterError && err.parameter === 'snapshot') error(404, `There is no snapshot ${snapshot}: it may have been deleted.`);
    if (err instanceof BadParameterError || err instanceof NotFoundError) error(404, err.message);
    throw err;
  };
  // The snapshot list first (one small query): it names the quarter and the snapshots of the sparklines.
  const snapshots = await listSnapshots(db);
  const shown = snapshot === undefined || snapshot === 'latest' ? snapshots[0] : snapshots.find((s) => String(s.snapshot_id) === snapshot);
  const quarter = shown ? fiscalQuarterOf(shown.as_of, settings.fiscal_year_start_month).label : undefined;
  const history = shown ? snapshots.filter((s) => s.as_of <= shown.as_of).slice(0, SPARK_SNAPSHOTS).reverse() : [];

  const [overview, pipeline, forecast, velocity, stuck, trend] = await Promise.all([
    runMetric(db, settings, 'overview', { snapshot }),
    runMetric(db, settings, 'open-pipeline', { snapshot }),
    shown ? runMetric(db, settings, 'forecast', { snapshot, period: quarter }) : null,
    shown ? runMetric(db, settings, 'velocity', { snapshot }) : null,
    shown ? runMetric(db, settings, 'stuck-deals', { snapshot }) : null,
    Promise.all(history.map((h) => runMetric(db, settings, 'overview', { snapshot: String(h.snapshot_id) })))
  ]).catch(fail);

  if (overview.snapshot_id === null) return { empty: true as const };

  const kpis = overview.rows[0] as OverviewRow;
  const stages = (pipeline.rows as OpenPipelineRow[]).map(
    (r): OpenPipelineChartRow => ({ stage: r.stage, sort_order: r.sort_order, open_count: r.open_count, open_amount: r.open_amount })
  );
  const summary = snapshots.find((s) => s.snapshot_id === overview.snapshot_id) ?? null;
  const chartOptions = { currency: kpis.corporate_currency, locale };
  const fc = (forecast?.rows[0] as ForecastRow | undefined) ?? null;
  const vel = (velocity?.rows[0] as VelocityRow | undefined) ?? null;
  const trendRows = trend.map((t) => t.rows[0] as OverviewRow).filter(Boolean);
  const spark = (label: string, pick: (r: OverviewRow) => number | null, kind: SparklineOptions['kind']) => {
    const points: SparkPoint[] = trendRows.map((r) => ({ as_of: r.as_of, value: pick(r) }));
    const options: SparklineOptions = { label, kind, currency: kpis.corporate_currency, current: kpis.as_of, locale };
    return points.filter((p) => p.value !== null).length >= 2 ? { points, options, svg: renderChart(sparklineChart, points, { ...options, width: 240 }) } : null;
  };

  return {
    empty: false as const,
    snapshot_id: overview.snapshot_id,
    snapshot: summary && {
      crm: summary.crm,
      export_kind: summary.export_kind,
      as_of_source: summary.as_of_source,
      warnings: summary.warnings
    },
    kpis,
    forecast: fc,
    velocity: vel,
    stuckCount: stuck ? stuck.rows.length : 0,
    sparks: {
      open: spark('Open pipeline', (r) => r.open_amount, 'amount'),
      won: spark('Closed won this quarter', (r) => r.closed_won_amount, 'amount'),
      rate: spark('Win rate, last four quarters', (r) => r.win_rate_count, 'percent')
    },
    notes: {
      ...OVERVIEW_NOTES,
      open_pipeline_chart: pipeline.note,
      forecast: forecast?.note ?? '',
      velocity: velocity?.note ?? '',
      stuck: stuck?.note ?? ''
    },
    stages,
    chartOptions,
    // 960 px is the chart's width in a laptop window; the SVG scales down on smaller screens.
    chartSvg: renderChart(openPipelineChart, stages, { ...chartOptions, width: 960 })
  };
};

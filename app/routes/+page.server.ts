import type { PageServerLoad } from './$types';
import { openPipelineChart, type OpenPipelineChartRow } from '$lib/charts/open-pipeline-chart';
import { apiOf, workspaceSlug } from '$lib/filters';
import { localeFromAcceptLanguage } from '$lib/format';
import { engineError, fiscalQuarterOf, OVERVIEW_NOTES, pageWorkspace, renderChart, type OverviewRow } from '$lib/server';
import { sparklineChart, type SparkPoint, type SparklineOptions } from '$lib/charts/sparkline-chart';

/** At most this many snapshots (up to the one shown) make a sparkline. */
const SPARK_SNAPSHOTS = 12;

export const load: PageServerLoad = async ({ url, request, locals }) => {
  const { ws } = pageWorkspace({ locals, url });
  const snapshot = url.searchParams.get('snapshot') ?? undefined;
  const locale = localeFromAcceptLanguage(request.headers.get('accept-language'));
  const settings = ws.settings();

  // The snapshot list first (one small query): it names the quarter and the snapshots of the sparklines.
  const snapshots = await ws.snapshots();
  const shown = snapshot === undefined || snapshot === 'latest' ? snapshots[0] : snapshots.find((s) => String(s.snapshot_id) === snapshot);
  const quarter = shown ? fiscalQuarterOf(shown.as_of, settings.fiscal_year_start_month).label : undefined;
  const history = shown ? snapshots.filter((s) => s.as_of <= shown.as_of).slice(0, SPARK_SNAPSHOTS).reverse() : [];

  const [overview, pipeline, forecast, velocity, stuck, trend] = await Promise.all([
    ws.metric('overview', { snapshot }),
    ws.metric('open-pipeline', { snapshot }),
    shown ? ws.metric('forecast', { snapshot, period: quarter }) : null,
    shown ? ws.metric('velocity', { snapshot }) : null,
    shown ? ws.metric('stuck-reasons', { snapshot }) : null,
    Promise.all(history.map((h) => ws.metric('overview', { snapshot: String(h.snapshot_id) })))
  ]).catch((err) => engineError(err, snapshot));

  if (overview.snapshot_id === null) return { empty: true as const };

  const kpis = overview.rows[0];
  const stages = pipeline.rows.map(
    (r): OpenPipelineChartRow => ({ stage: r.stage, sort_order: r.sort_order, open_count: r.open_count, open_amount: r.open_amount })
  );
  const summary = snapshots.find((s) => s.snapshot_id === overview.snapshot_id) ?? null;
  const chartOptions = { currency: kpis.corporate_currency, locale };
  const fc = forecast?.rows[0] ?? null;
  const vel = velocity?.rows[0] ?? null;
  const trendRows = trend.map((t) => t.rows[0]).filter(Boolean);
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
      warnings: summary.warnings,
      quality: summary.quality
    },
    caveats: [...(velocity?.caveats ?? []), ...(stuck?.caveats ?? [])],
    kpis,
    forecast: fc,
    velocity: vel,
    stuckCount: stuck?.rows.find((r) => r.reason === 'any')?.deals ?? 0,
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
    csvHref: `${apiOf(workspaceSlug(url))}/metrics/open-pipeline?snapshot=${overview.snapshot_id}&format=csv`,
    // 960 px is the chart's width in a laptop window; the SVG scales down on smaller screens.
    chartSvg: renderChart(openPipelineChart, stages, { ...chartOptions, width: 960 })
  };
};

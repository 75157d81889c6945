import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { openPipelineChart, type OpenPipelineChartRow } from '$lib/charts/open-pipeline-chart';
import { localeFromAcceptLanguage } from '$lib/format';
import { BadParameterError, listSnapshots, NotFoundError, OVERVIEW_NOTES, runMetric, type OpenPipelineRow, type OverviewRow } from '$lib/server/engine';
import { getDatabase, getSettings } from '$lib/server/gateway';
import { renderChart } from '$lib/server/render-chart';

export const load: PageServerLoad = async ({ url, request }) => {
  const snapshot = url.searchParams.get('snapshot') ?? undefined;
  const locale = localeFromAcceptLanguage(request.headers.get('accept-language'));
  const db = await getDatabase();
  const settings = getSettings();

  const [overview, pipeline, snapshots] = await Promise.all([
    runMetric(db, settings, 'overview', { snapshot }),
    runMetric(db, settings, 'open-pipeline', { snapshot }),
    listSnapshots(db)
  ]).catch((err) => {
    if (err instanceof BadParameterError && err.parameter === 'snapshot') error(404, `There is no snapshot ${snapshot}: it may have been deleted.`);
    if (err instanceof BadParameterError || err instanceof NotFoundError) error(404, err.message);
    throw err;
  });

  if (overview.snapshot_id === null) return { empty: true as const };

  const kpis = overview.rows[0] as OverviewRow;
  const stages = (pipeline.rows as OpenPipelineRow[]).map(
    (r): OpenPipelineChartRow => ({ stage: r.stage, sort_order: r.sort_order, open_count: r.open_count, open_amount: r.open_amount })
  );
  const summary = snapshots.find((s) => s.snapshot_id === overview.snapshot_id) ?? null;
  const chartOptions = { currency: kpis.corporate_currency, locale };

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
    notes: { ...OVERVIEW_NOTES, open_pipeline_chart: pipeline.note },
    stages,
    chartOptions,
    // 960 px is the chart's width in a laptop window; the SVG scales down on smaller screens.
    chartSvg: renderChart(openPipelineChart, stages, { ...chartOptions, width: 960 })
  };
};

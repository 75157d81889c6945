import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { stageDurationChart, type DurationChartRow } from '$lib/charts/stage-duration-chart';
import { metricParams } from '$lib/filters';
import { onePipelineAtATime, pageChart, parseFiscalQuarter, reportPage, type StageVisits } from '$lib/server';

export const load: PageServerLoad = async ({ url, locals, parent }) => {
  const page = await reportPage({ locals, url });
  const { ws, filters, id, options } = page;
  onePipelineAtATime(url, options);
  let { from, to } = filters;
  if (filters.period) {
    const q = parseFiscalQuarter(filters.period, ws.settings().fiscal_year_start_month);
    if (!q) error(400, 'period: a fiscal quarter such as FY2024Q3');
    ({ from, to } = q);
  }
  const [result, visits, { locale }] = await Promise.all([
    page.metric('stage-durations', metricParams(filters)),
    id === null ? Promise.resolve([] as StageVisits[]) : ws.visitDurations(id, { from, to, owner: filters.owner, lead_source: filters.lead_source, type: filters.type, pipeline: filters.pipeline }),
    parent()
  ]);
  const unusable = result.caveats.length > 0;
  const closed = new Set(visits.filter((v) => v.is_closed).map((v) => v.stage));
  const rows = result.rows.filter((r) => !closed.has(r.stage));
  const chartRows: DurationChartRow[] = rows.map((r) => ({
    stage: r.stage,
    sort_order: r.sort_order,
    // no distribution of durations the quality checks call meaningless
    days: unusable ? [] : (visits.find((v) => v.stage === r.stage)?.days ?? []),
    median_days: r.median_days,
    p75_days: r.p75_days,
    p90_days: r.p90_days,
    visits: r.visits,
    ongoing: r.ongoing
  }));
  const chartOptions = { currency: options.corporate_currency, locale, filters };
  return {
    empty: result.snapshot_id === null,
    filters,
    options,
    note: result.note,
    rows,
    caveats: result.caveats,
    snapshotId: result.snapshot_id,
    ...pageChart(stageDurationChart, chartRows, chartOptions)
  };
};

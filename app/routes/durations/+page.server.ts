import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { stageDurationChart, type DurationChartRow } from '$lib/charts/stage-duration-chart';
import { metricParams, readFilters } from '$lib/filters';
import { getDatabase, getSettings } from '$lib/server/gateway';
import { filterOptions, metric, onePipelineAtATime, snapshotId } from '$lib/server/page-data';
import { pageChart } from '$lib/server/render-chart';
import { visitDurations } from '$lib/server/visit-durations';
import { parseFiscalQuarter } from '../../../analytics/fiscal';
import type { StageDurationRow } from '../../../analytics/metrics/stage-durations';


export const load: PageServerLoad = async ({ url, parent }) => {
  const filters = readFilters(url);
  const id = await snapshotId(filters.snapshot);
  const options = await filterOptions(id);
  onePipelineAtATime(url, options);
  let { from, to } = filters;
  if (filters.period) {
    const q = parseFiscalQuarter(filters.period, getSettings().fiscal_year_start_month);
    if (!q) error(400, 'period: a fiscal quarter such as FY2024Q3');
    ({ from, to } = q);
  }
  const db = await getDatabase();
  const [result, visits, { locale }] = await Promise.all([
    metric('stage-durations', metricParams(filters)),
    id === null ? Promise.resolve([]) : visitDurations(db, id, { from, to, owner: filters.owner, lead_source: filters.lead_source, type: filters.type, pipeline: filters.pipeline }),
    parent()
  ]);
  const closed = new Set(visits.filter((v) => v.is_closed).map((v) => v.stage));
  const rows = (result.rows as unknown as StageDurationRow[]).filter((r) => !closed.has(r.stage));
  const chartRows: DurationChartRow[] = rows.map((r) => ({
    stage: r.stage,
    sort_order: r.sort_order,
    days: visits.find((v) => v.stage === r.stage)?.days ?? [],
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
    ...pageChart(stageDurationChart, chartRows, chartOptions)
  };
};

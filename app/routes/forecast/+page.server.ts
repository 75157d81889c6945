import type { PageServerLoad } from './$types';
import { forecastChart, type ForecastChartRow } from '$lib/charts/forecast-chart';
import { metricParams, readFilters, toQuery } from '$lib/filters';
import { filterOptions, metric, snapshotId } from '$lib/server/page-data';
import { pageChart } from '$lib/server/render-chart';
import type { ForecastRow } from '../../../analytics/metrics/forecast';

export const load: PageServerLoad = async ({ url, parent }) => {
  const filters = readFilters(url);
  const id = await snapshotId(filters.snapshot);
  const params = metricParams(filters);
  const [result, options, { locale }] = await Promise.all([metric('forecast', params), filterOptions(id), parent()]);
  const rows = result.rows as ForecastRow[];
  const chartRows: ForecastChartRow[] = rows.map((r) => ({
    quarter: r.quarter,
    closed_won: r.closed_won,
    commit: r.commit,
    best_case: r.best_case,
    pipeline: r.pipeline,
    weighted: r.weighted,
    calibrated: r.calibrated
  }));
  const chartOptions = { currency: options.corporate_currency, locale, filters, focus: options.current_quarter };
  return {
    empty: result.snapshot_id === null,
    filters,
    options,
    note: result.note,
    rows,
    ...pageChart(forecastChart, chartRows, chartOptions),
    csvHref: `/api/metrics/forecast${toQuery({ ...params, format: 'csv' })}`
  };
};

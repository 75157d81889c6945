import type { PageServerLoad } from './$types';
import { forecastChart, type ForecastChartRow } from '$lib/charts/forecast-chart';
import { forecastTrendChart, type ForecastTrendChartRow } from '$lib/charts/forecast-trend-chart';
import { metricParams, readFilters, toQuery } from '$lib/filters';
import type { AccuracyMetricRow } from '$lib/forecast-accuracy';
import { filterOptions, metric, snapshotId } from '$lib/server/page-data';
import { pageChart } from '$lib/server/render-chart';
import type { ForecastRow } from '../../../analytics/metrics/forecast';
import type { ForecastAccuracyRow } from '../../../analytics/metrics/forecast-accuracy';
import type { ForecastTrendRow } from '../../../analytics/metrics/forecast-trend';

export const load: PageServerLoad = async ({ url, parent }) => {
  const filters = readFilters(url);
  const id = await snapshotId(filters.snapshot);
  const params = metricParams(filters);
  // The quarter whose forecast is followed across snapshots: its own parameter, else the period filter, else the snapshot's quarter.
  const trendQuarter = url.searchParams.get('trend_quarter')?.trim().toUpperCase() || filters.period;
  const trendParams = metricParams(filters, ['owner', 'lead_source', 'type', 'pipeline'], { period: trendQuarter });
  const [result, accuracy, trend, options, { locale }] = await Promise.all([
    metric('forecast', params),
    metric('forecast-accuracy', params),
    metric('forecast-trend', trendParams),
    filterOptions(id),
    parent()
  ]);
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
  const quarter = trendQuarter ?? options.current_quarter ?? '';
  const trendRows: ForecastTrendChartRow[] = trend.rows as ForecastTrendRow[];
  const trendOptions = { currency: options.corporate_currency, locale, filters, quarter, ended: !!options.current_quarter && quarter < options.current_quarter };
  return {
    empty: result.snapshot_id === null,
    filters,
    options,
    note: result.note,
    rows,
    ...pageChart(forecastChart, chartRows, chartOptions),
    csvHref: `/api/metrics/forecast${toQuery({ ...params, format: 'csv' })}`,
    accuracy: {
      rows: accuracy.rows as ForecastAccuracyRow[] satisfies AccuracyMetricRow[],
      note: accuracy.note,
      csvHref: `/api/metrics/forecast-accuracy${toQuery({ ...params, format: 'csv' })}`
    },
    trend: {
      quarter,
      /** Set when the quarter came from its own parameter (the filter bar keeps it). */
      param: url.searchParams.get('trend_quarter') ?? undefined,
      note: trend.note,
      ...pageChart(forecastTrendChart, trendRows, trendOptions),
      csvHref: `/api/metrics/forecast-trend${toQuery({ ...trendParams, format: 'csv' })}`
    }
  };
};

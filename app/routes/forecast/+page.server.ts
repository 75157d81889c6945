import type { PageServerLoad } from './$types';
import { forecastChart, type ForecastChartRow } from '$lib/charts/forecast-chart';
import { forecastTrendChart, type ForecastTrendChartRow } from '$lib/charts/forecast-trend-chart';
import { apiOf, metricParams, toQuery } from '$lib/filters';
import type { AccuracyMetricRow } from '$lib/forecast-accuracy';
import { pageChart, reportPage } from '$lib/server';

export const load: PageServerLoad = async ({ url, locals, parent }) => {
  const page = await reportPage({ locals, url });
  const { filters, options } = page;
  const api = apiOf(filters.workspace);
  const params = metricParams(filters);
  // The quarter whose forecast is followed across snapshots: its own parameter, else the period filter, else the snapshot's quarter.
  const trendQuarter = url.searchParams.get('trend_quarter')?.trim().toUpperCase() || filters.period;
  const trendParams = metricParams(filters, ['owner', 'lead_source', 'type', 'pipeline'], { period: trendQuarter });
  const [result, accuracy, trend, { locale }] = await Promise.all([
    page.metric('forecast', params),
    page.metric('forecast-accuracy', params),
    page.metric('forecast-trend', trendParams),
    parent()
  ]);
  const rows = result.rows;
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
  const trendRows: ForecastTrendChartRow[] = trend.rows;
  const trendOptions = { currency: options.corporate_currency, locale, filters, quarter, ended: !!options.current_quarter && quarter < options.current_quarter };
  return {
    empty: result.snapshot_id === null,
    filters,
    options,
    note: result.note,
    rows,
    ...pageChart(forecastChart, chartRows, chartOptions),
    csvHref: `${api}/metrics/forecast${toQuery({ ...params, format: 'csv' })}`,
    accuracy: {
      rows: accuracy.rows satisfies AccuracyMetricRow[],
      note: accuracy.note,
      csvHref: `${api}/metrics/forecast-accuracy${toQuery({ ...params, format: 'csv' })}`
    },
    trend: {
      quarter,
      /** Set when the quarter came from its own parameter (the filter bar keeps it). */
      param: url.searchParams.get('trend_quarter') ?? undefined,
      note: trend.note,
      ...pageChart(forecastTrendChart, trendRows, trendOptions),
      csvHref: `${api}/metrics/forecast-trend${toQuery({ ...trendParams, format: 'csv' })}`
    }
  };
};

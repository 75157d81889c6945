import type { PageServerLoad } from './$types';
import { trendGroups, trendsChart, type TrendsBy, type TrendsChartRow, type TrendsMeasure } from '$lib/charts/trends-chart';
import { apiOf, metricParams, toQuery } from '$lib/filters';
import { pageChart, reportPage } from '$lib/server';

const FIELDS = ['pipeline', 'owner', 'lead_source', 'type'] as const;

/** Open pipeline across snapshots, by stage or forecast category, as amount or deal count. */
export const load: PageServerLoad = async ({ url, locals, parent }) => {
  const page = await reportPage({ locals, url }, FIELDS);
  const { filters, options } = page;
  const by: TrendsBy = url.searchParams.get('by') === 'forecast_category' ? 'forecast_category' : 'stage';
  const measure: TrendsMeasure = url.searchParams.get('measure') === 'count' ? 'count' : 'amount';
  const params = metricParams(filters, FIELDS, { by });
  const [result, stages, { locale, snapshots }] = await Promise.all([
    page.metric('trends', params),
    page.metric('open-pipeline', metricParams(filters, ['pipeline'])),
    parent()
  ]);
  const rows: TrendsChartRow[] = result.rows.map((r) => ({
    snapshot_id: r.snapshot_id,
    as_of: r.as_of,
    group: String(r[by] ?? '(none)'),
    open_count: r.open_count,
    open_amount: r.open_amount
  }));
  const groups = trendGroups(by, rows.map((r) => r.group), stages.rows);
  // Snapshots up to the chosen one: fewer than two make no trend, whatever the filters.
  const upTo = snapshots.filter((s) => options.as_of !== null && s.as_of <= options.as_of).length;
  const chartOptions = { currency: options.corporate_currency, locale, filters, by, measure, groups };
  return {
    empty: result.snapshot_id === null,
    snapshotCount: upTo,
    laterCount: snapshots.length - upTo,
    filters,
    by,
    measure,
    options,
    note: result.note,
    groups,
    ...pageChart(trendsChart, rows, chartOptions),
    csvHref: `${apiOf(filters.workspace)}/metrics/trends${toQuery({ ...params, format: 'csv' })}`
  };
};

import type { PageServerLoad } from './$types';
import { trendGroups, trendsChart, type TrendsBy, type TrendsChartRow, type TrendsMeasure } from '$lib/charts/trends-chart';
import { apiOf, metricParams, readFilters, toQuery } from '$lib/filters';
import { filterOptions, metric, pageChart, pageWorkspace, snapshotId } from '$lib/server';

const FIELDS = ['pipeline', 'owner', 'lead_source', 'type'] as const;

/** Open pipeline across snapshots, by stage or forecast category, as amount or deal count. */
export const load: PageServerLoad = async ({ url, locals, parent }) => {
  const { ws } = pageWorkspace(locals);
  const filters = readFilters(url, FIELDS);
  const by: TrendsBy = url.searchParams.get('by') === 'forecast_category' ? 'forecast_category' : 'stage';
  const measure: TrendsMeasure = url.searchParams.get('measure') === 'count' ? 'count' : 'amount';
  const id = await snapshotId(ws, filters.snapshot);
  const params = metricParams(filters, FIELDS, { by });
  const [result, stages, options, { locale, snapshots }] = await Promise.all([
    metric(ws, 'trends', params),
    metric(ws, 'open-pipeline', metricParams(filters, ['pipeline'])),
    filterOptions(ws, id),
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

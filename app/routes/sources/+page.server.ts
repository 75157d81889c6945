import type { PageServerLoad } from './$types';
import { sourceChart, type SourceChartRow } from '$lib/charts/source-chart';
import { metricParams, readFilters } from '$lib/filters';
import { filterOptions, metric, snapshotId } from '$lib/server/page-data';
import { pageChart } from '$lib/server/render-chart';

interface SourceRow extends SourceChartRow {
  median_days_to_convert: number | null;
  avg_won_amount: number | null;
}

export const load: PageServerLoad = async ({ url, parent }) => {
  const filters = readFilters(url);
  const id = await snapshotId(filters.snapshot);
  const [result, options, { locale }] = await Promise.all([metric('source-conversion', metricParams(filters)), filterOptions(id), parent()]);
  const rows = result.rows as unknown as SourceRow[];
  const chartRows: SourceChartRow[] = rows.map((r) => ({
    lead_source: r.lead_source,
    leads: r.leads,
    converted: r.converted,
    lead_conversion: r.lead_conversion,
    opportunities: r.opportunities,
    won: r.won,
    lost: r.lost,
    win_rate_count: r.win_rate_count,
    won_amount: r.won_amount,
    median_sales_cycle_days: r.median_sales_cycle_days
  }));
  const chartOptions = { currency: options.corporate_currency, locale, filters };
  return {
    empty: result.snapshot_id === null,
    filters,
    options,
    note: result.note,
    rows,
    ...pageChart(sourceChart, chartRows, chartOptions)
  };
};

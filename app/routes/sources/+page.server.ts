import type { PageServerLoad } from './$types';
import { sourceChart, type SourceChartRow } from '$lib/charts/source-chart';
import { metricParams } from '$lib/filters';
import { pageChart, reportPage } from '$lib/server';

export const load: PageServerLoad = async ({ url, locals, parent }) => {
  const page = await reportPage({ locals, url });
  const { filters, options } = page;
  const [result, { locale }] = await Promise.all([page.metric('source-conversion', metricParams(filters)), parent()]);
  const rows = result.rows;
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
    caveats: result.caveats,
    snapshotId: result.snapshot_id,
    linked: rows.some((r) => r.converted_leads_deals !== null),
    ...pageChart(sourceChart, chartRows, chartOptions)
  };
};

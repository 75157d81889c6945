import type { PageServerLoad } from './$types';
import { funnelChart, type FunnelChartRow } from '$lib/charts/funnel-chart';
import { metricParams } from '$lib/filters';
import { onePipelineAtATime, pageChart, reportPage } from '$lib/server';

export const load: PageServerLoad = async ({ url, locals, parent }) => {
  const page = await reportPage({ locals, url });
  const { filters, options } = page;
  onePipelineAtATime(url, options);
  const [funnel, leads, { locale }] = await Promise.all([
    page.metric('funnel', metricParams(filters)),
    page.metric('lead-funnel', metricParams(filters, ['period', 'from', 'to', 'owner', 'lead_source'])),
    parent()
  ]);
  // the metric ends with the Won row, after the open stages
  const rows = funnel.rows.map((r, i, all) => ({ ...r, won: i === all.length - 1 }));
  const leadRows = leads.rows;
  const chartRows: FunnelChartRow[] = rows.map((r) => ({
    stage: r.stage,
    sort_order: r.sort_order,
    reached: r.reached,
    step_conversion: r.step_conversion,
    cumulative_conversion: r.cumulative_conversion,
    won: r.won
  }));
  const chartOptions = { currency: options.corporate_currency, locale, filters };
  return {
    empty: funnel.snapshot_id === null,
    filters,
    options,
    notes: { funnel: funnel.note, leads: leads.note },
    rows,
    leadRows: leadRows.filter((r) => r.sort_order !== null),
    leadTotal: leadRows.find((r) => r.sort_order === null) ?? null,
    ...pageChart(funnelChart, chartRows, chartOptions)
  };
};

import type { PageServerLoad } from './$types';
import { funnelChart, type FunnelChartRow } from '$lib/charts/funnel-chart';
import { metricParams, readFilters } from '$lib/filters';
import { filterOptions, metric, onePipelineAtATime, snapshotId } from '$lib/server/page-data';
import { pageChart } from '$lib/server/render-chart';

interface FunnelRow extends FunnelChartRow {
  open_amount: number;
}

interface LeadFunnelRow {
  status: string;
  sort_order: number | null;
  leads: number;
  share: number | null;
  converted: number;
  conversion_rate: number | null;
}

export const load: PageServerLoad = async ({ url, parent }) => {
  const filters = readFilters(url);
  const id = await snapshotId(filters.snapshot);
  const options = await filterOptions(id);
  onePipelineAtATime(url, options);
  const [funnel, leads, { locale }] = await Promise.all([
    metric('funnel', metricParams(filters)),
    metric('lead-funnel', metricParams(filters, ['period', 'from', 'to', 'owner', 'lead_source'])),
    parent()
  ]);
  const rows = funnel.rows as unknown as FunnelRow[];
  const leadRows = leads.rows as unknown as LeadFunnelRow[];
  const chartRows: FunnelChartRow[] = rows.map((r) => ({
    stage: r.stage,
    sort_order: r.sort_order,
    reached: r.reached,
    step_conversion: r.step_conversion,
    cumulative_conversion: r.cumulative_conversion,
    open_count: r.open_count
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

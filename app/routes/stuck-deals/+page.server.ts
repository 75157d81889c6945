import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { STUCK_REASONS, stuckReasonsChart, type StuckReasonRow } from '$lib/charts/stuck-reasons-chart';
import { apiOf, metricParams, toQuery } from '$lib/filters';
import { renderChart, reportPage } from '$lib/server';

const FIELDS = ['pipeline', 'owner', 'lead_source', 'type'] as const;
/** Rows sent to the page; the CSV has them all. */
const SHOWN = 200;

export const load: PageServerLoad = async ({ url, locals, parent }) => {
  const page = await reportPage({ locals, url }, FIELDS);
  const { filters, options } = page;
  const reason = url.searchParams.get('reason')?.trim() || undefined;
  if (reason && !STUCK_REASONS.some((r) => r.reason === reason)) error(400, `reason must be one of ${STUCK_REASONS.map((r) => r.reason).join(', ')}`);
  const params = metricParams(filters, FIELDS);
  // the tiles count every stuck deal in SQL; the table shows the largest SHOWN (the CSV has them all)
  const [result, counts, { locale }] = await Promise.all([
    page.metric('stuck-deals', { ...params, reason, limit: String(SHOWN) }),
    page.metric('stuck-reasons', params),
    parent()
  ]);
  const all = counts.rows.find((r) => r.reason === 'any') ?? { deals: 0, amount: 0 };
  const summary: StuckReasonRow[] = STUCK_REASONS.map((r) => {
    const hit = counts.rows.find((c) => c.reason === r.reason);
    return { reason: r.reason, deals: hit?.deals ?? 0, amount: hit?.amount ?? 0 };
  });
  const listed = reason ? (summary.find((r) => r.reason === reason)?.deals ?? 0) : all.deals;
  const chartOptions = { currency: options.corporate_currency, locale, filters, total: all.deals };
  return {
    empty: result.snapshot_id === null,
    filters,
    reason,
    options,
    note: result.note,
    caveats: result.caveats,
    snapshotId: result.snapshot_id,
    total: all.deals,
    totalAmount: all.amount,
    /** how many deals the table's selection holds; it shows at most SHOWN of them */
    listed,
    rows: result.rows,
    summary,
    chartOptions,
    chartSvg: renderChart(stuckReasonsChart, summary, { ...chartOptions, width: 640 }),
    csvHref: `${apiOf(filters.workspace)}/metrics/stuck-deals${toQuery({ ...params, reason, format: 'csv' })}`
  };
};

import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { STUCK_REASONS, stuckReasonsChart, type StuckReasonRow } from '$lib/charts/stuck-reasons-chart';
import { apiOf, metricParams, toQuery } from '$lib/filters';
import { renderChart, reportPage } from '$lib/server';

const FIELDS = ['pipeline', 'owner', 'lead_source', 'type'] as const;

export const load: PageServerLoad = async ({ url, locals, parent }) => {
  const page = await reportPage({ locals, url }, FIELDS);
  const { filters, options } = page;
  const reason = url.searchParams.get('reason')?.trim() || undefined;
  if (reason && !STUCK_REASONS.some((r) => r.reason === reason)) error(400, `reason must be one of ${STUCK_REASONS.map((r) => r.reason).join(', ')}`);
  const params = metricParams(filters, FIELDS);
  const [result, { locale }] = await Promise.all([page.metric('stuck-deals', params), parent()]);
  const all = result.rows;
  const summary: StuckReasonRow[] = STUCK_REASONS.map((r) => {
    const hit = all.filter((d) => d.reasons.includes(r.reason));
    return { reason: r.reason, deals: hit.length, amount: hit.reduce((s, d) => s + (d.amount ?? 0), 0) };
  });
  const chartOptions = { currency: options.corporate_currency, locale, filters, total: all.length };
  return {
    empty: result.snapshot_id === null,
    filters,
    reason,
    options,
    note: result.note,
    caveats: result.caveats,
    snapshotId: result.snapshot_id,
    total: all.length,
    totalAmount: all.reduce((s, d) => s + (d.amount ?? 0), 0),
    rows: reason ? all.filter((d) => d.reasons.includes(reason)) : all,
    summary,
    chartOptions,
    chartSvg: renderChart(stuckReasonsChart, summary, { ...chartOptions, width: 640 }),
    csvHref: `${apiOf(filters.workspace)}/metrics/stuck-deals${toQuery({ ...params, format: 'csv' })}`
  };
};

import type { PageServerLoad } from './$types';
import { winRateBarsChart, winRateTrendChart, type WinRateChartRow } from '$lib/charts/win-rate-charts';
import { metricParams } from '$lib/filters';
import { renderChart, reportPage, type WinRateRow } from '$lib/server';

const DIMENSIONS = [
  { by: 'owner', title: 'Win rate by owner' },
  { by: 'lead_source', title: 'Win rate by lead source' },
  { by: 'type', title: 'Win rate by type' }
] as const;

const toChart = (rows: WinRateRow[], key: string): WinRateChartRow[] =>
  rows.map((r) => ({ group: String(r[key] ?? '(none)'), won: r.won, lost: r.lost, win_rate_count: r.win_rate_count, win_rate_amount: r.win_rate_amount }));

export const load: PageServerLoad = async ({ url, locals, parent }) => {
  const page = await reportPage({ locals, url });
  const { filters, options } = page;
  const params = metricParams(filters);
  const [all, quarter, owner, source, type, { locale }] = await Promise.all([
    page.metric('win-rates', params),
    page.metric('win-rates', { ...params, by: 'quarter' }),
    page.metric('win-rates', { ...params, by: 'owner' }),
    page.metric('win-rates', { ...params, by: 'lead_source' }),
    page.metric('win-rates', { ...params, by: 'type' }),
    parent()
  ]);
  const base = { currency: options.corporate_currency, locale, filters };
  const trendRows = toChart(quarter.rows, 'quarter');
  const byResults = [owner, source, type];
  const groups = DIMENSIONS.map((d, i) => {
    const raw = byResults[i].rows;
    const rows = toChart(raw, d.by);
    const chartOptions = { ...base, dimension: d.by, title: d.title };
    return {
      ...d,
      rows,
      amounts: raw.map((r) => ({ group: String(r[d.by] ?? '(none)'), won_amount: r.won_amount, lost_amount: r.lost_amount })),
      chartOptions,
      chartSvg: renderChart(winRateBarsChart, rows, { ...chartOptions, width: 960 })
    };
  });
  return {
    empty: all.snapshot_id === null,
    filters,
    options,
    note: all.note,
    total: all.rows[0] ?? null,
    caveats: all.caveats,
    snapshotId: all.snapshot_id,
    trendRows,
    trendOptions: base,
    trendSvg: renderChart(winRateTrendChart, trendRows, { ...base, width: 960 }),
    groups
  };
};

import type { PageServerLoad } from './$types';
import { winRateBarsChart, winRateTrendChart, type WinRateChartRow } from '$lib/charts/win-rate-charts';
import { metricParams, readFilters } from '$lib/filters';
import { filterOptions, metric, snapshotId } from '$lib/server/page-data';
import { renderChart } from '$lib/server/render-chart';
import type { WinRateRow } from '../../../analytics/metrics/win-rates';


const DIMENSIONS = [
  { by: 'owner', title: 'Win rate by owner' },
  { by: 'lead_source', title: 'Win rate by lead source' },
  { by: 'type', title: 'Win rate by type' }
] as const;

const toChart = (rows: WinRateRow[], key: string): WinRateChartRow[] =>
  rows.map((r) => ({ group: String(r[key] ?? '(none)'), won: r.won, lost: r.lost, win_rate_count: r.win_rate_count, win_rate_amount: r.win_rate_amount }));

export const load: PageServerLoad = async ({ url, parent }) => {
  const filters = readFilters(url);
  const id = await snapshotId(filters.snapshot);
  const params = metricParams(filters);
  const [all, quarter, owner, source, type, options, { locale }] = await Promise.all([
    metric('win-rates', params),
    metric('win-rates', { ...params, by: 'quarter' }),
    metric('win-rates', { ...params, by: 'owner' }),
    metric('win-rates', { ...params, by: 'lead_source' }),
    metric('win-rates', { ...params, by: 'type' }),
    filterOptions(id),
    parent()
  ]);
  const base = { currency: options.corporate_currency, locale, filters };
  const trendRows = toChart(quarter.rows as WinRateRow[], 'quarter');
  const byResults = [owner, source, type];
  const groups = DIMENSIONS.map((d, i) => {
    const raw = byResults[i].rows as WinRateRow[];
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
    total: (all.rows[0] ?? null) as WinRateRow | null,
    trendRows,
    trendOptions: base,
    trendSvg: renderChart(winRateTrendChart, trendRows, { ...base, width: 960 }),
    groups
  };
};

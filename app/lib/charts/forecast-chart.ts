import * as Plot from '@observablehq/plot';
import { dealsHref, type DealFilters } from '../filters';
import { DEFAULT_LOCALE, formatAmount, formatQuarter } from '../format';
import { WON_COLOR } from '../stage-colors';
import { amountAxis, CHART_STYLE, chartWidth, paragraph, type ChartOptions } from './chart-common';

export interface ForecastChartRow {
  quarter: string;
  closed_won: number;
  commit: number;
  best_case: number;
  pipeline: number;
  weighted: number;
  calibrated: number;
}

export const FORECAST_TITLE = 'Forecast by fiscal quarter';

/** The stacked categories, bottom to top, with the deals behind each. */
export const FORECAST_CATEGORIES = [
  { key: 'closed_won', label: 'Closed won', color: WON_COLOR, deals: { status: 'won' } },
  { key: 'commit', label: 'Commit', color: '#2f5bc4', deals: { status: 'open', forecast_category: 'Commit' } },
  { key: 'best_case', label: 'Best Case', color: '#6f9be8', deals: { status: 'open', forecast_category: 'Best Case' } },
  { key: 'pipeline', label: 'Pipeline', color: '#b9cdf3', deals: { status: 'open', forecast_category: 'Pipeline' } }
] as const satisfies readonly { key: keyof ForecastChartRow; label: string; color: string; deals: DealFilters }[];

interface Segment {
  quarter: string;
  category: string;
  amount: number;
  href: string;
}

/** The chart's takeaway: the quarter of the snapshot (or the first one) with its commit and best case. */
export function forecastTakeaway(rows: ForecastChartRow[], currency: string | null, locale = DEFAULT_LOCALE, focus?: string | null): string {
  if (!rows.length) return 'No deal closes in these quarters.';
  const row = rows.find((r) => r.quarter === focus) ?? rows[0];
  const a = (v: number) => formatAmount(v, currency, locale).text;
  const commit = row.closed_won + row.commit;
  return `${formatQuarter(row.quarter)}: ${a(row.closed_won)} closed won, ${a(commit)} with commit, ${a(commit + row.best_case)} with best case; weighted ${a(row.weighted)}.`;
}

export function forecastDescription(rows: ForecastChartRow[], currency: string | null, locale = DEFAULT_LOCALE): string {
  const a = (v: number) => formatAmount(v, currency, locale).title;
  const parts = rows.map(
    (r) =>
      `${formatQuarter(r.quarter)}: closed won ${a(r.closed_won)}, commit ${a(r.commit)}, best case ${a(r.best_case)}, pipeline ${a(r.pipeline)}, weighted ${a(r.weighted)}, calibrated ${a(r.calibrated)}`
  );
  return `Stacked bar chart per fiscal quarter of close date: closed won, commit, best case and pipeline amounts stacked in that order; a black tick marks the weighted forecast, a dashed tick the calibrated one. ${parts.join('; ')}.`;
}

/**
 * One stacked column per fiscal quarter (Closed won, Commit, Best Case, Pipeline from
 * the bottom), each segment a link to its deals; ticks for the weighted (solid) and
 * calibrated (dashed) forecasts. Pure: same rows and options, same SVG.
 */
export function forecastChart(rows: ForecastChartRow[], options: ChartOptions & { focus?: string | null }): SVGSVGElement | HTMLElement {
  const { currency, locale = DEFAULT_LOCALE, document, filters = {} } = options;
  const doc = document ?? globalThis.document;
  const quarters = rows.map((r) => r.quarter);
  const segments: Segment[] = rows.flatMap((r) =>
    FORECAST_CATEGORIES.map((c) => ({
      quarter: r.quarter,
      category: c.label,
      amount: r[c.key],
      href: dealsHref(filters, { ...c.deals, period: r.quarter } as DealFilters)
    }))
  );
  const width = chartWidth(options, 80 + quarters.length * 48);
  const max = Math.max(0, ...rows.map((r) => Math.max(r.closed_won + r.commit + r.best_case + r.pipeline, r.weighted, r.calibrated)));
  const full = (v: number) => formatAmount(v, currency, locale).title;

  return Plot.plot({
    document,
    width,
    height: 340,
    marginLeft: 64,
    marginBottom: 40,
    className: 'plot',
    title: FORECAST_TITLE,
    subtitle: paragraph(doc, forecastTakeaway(rows, currency, locale, options.focus)),
    ariaLabel: FORECAST_TITLE,
    ariaDescription: forecastDescription(rows, currency, locale),
    style: CHART_STYLE,
    x: { label: null, domain: quarters, tickFormat: (q: string) => formatQuarter(q), padding: 0.25 },
    y: amountAxis(currency, max, locale),
    color: {
      legend: true,
      domain: FORECAST_CATEGORIES.map((c) => c.label),
      range: FORECAST_CATEGORIES.map((c) => c.color)
    },
    marks: [
      Plot.barY(segments, {
        x: 'quarter',
        y: 'amount',
        fill: 'category',
        order: FORECAST_CATEGORIES.map((c) => c.label),
        href: 'href',
        ariaLabel: (d: Segment) => `${formatQuarter(d.quarter)} ${d.category}: ${full(d.amount)}`,
        // A native tooltip: Plot's pointer tip would take the click meant for the link.
        title: (d: Segment) => `${formatQuarter(d.quarter)} · ${d.category}\n${full(d.amount)}\nClick for the deals`
      }),
      Plot.tickY(rows, { x: 'quarter', y: 'weighted', stroke: 'currentColor', strokeWidth: 2.5, title: (r: ForecastChartRow) => `Weighted ${full(r.weighted)}` }),
      Plot.tickY(rows, {
        x: 'quarter',
        y: 'calibrated',
        stroke: 'currentColor',
        strokeWidth: 2,
        strokeDasharray: '4,3',
        title: (r: ForecastChartRow) => `Calibrated ${full(r.calibrated)}`
      }),
      Plot.ruleY([0])
    ]
  });
}

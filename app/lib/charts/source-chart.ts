import * as Plot from '@observablehq/plot';
import { dealsHref } from '../filters';
import { DEFAULT_LOCALE, formatAmount, formatCompact, formatNumber, formatPercent } from '../format';
import { CHART_STYLE, chartWidth, paragraph, type ChartOptions } from './chart-common';

export interface SourceChartRow {
  lead_source: string;
  leads: number;
  converted: number;
  lead_conversion: number | null;
  opportunities: number;
  won: number;
  lost: number;
  win_rate_count: number | null;
  won_amount: number;
  median_sales_cycle_days: number | null;
}

export const SOURCE_TITLE = 'Won amount by lead source';
const BAR_COLOR = '#3ca951';

export function sourceTakeaway(rows: SourceChartRow[], currency: string | null, locale = DEFAULT_LOCALE): string {
  const total = rows.reduce((s, r) => s + r.won_amount, 0);
  if (!rows.length || total <= 0) return rows.some((r) => r.leads || r.opportunities) ? 'Nothing won yet from these sources.' : 'No lead or deal in this period.';
  const top = rows.reduce((b, r) => (r.won_amount > b.won_amount ? r : b));
  return `${top.lead_source} brings the most won amount: ${formatAmount(top.won_amount, currency, locale).text}, ${formatPercent(top.won_amount / total, locale)} of ${formatAmount(total, currency, locale).text}; its leads convert at ${formatPercent(top.lead_conversion, locale)} and its deals win at ${formatPercent(top.win_rate_count, locale)} (n = ${formatNumber(top.won + top.lost, locale)}).`;
}

/**
 * One bar per lead source, largest won amount first, labelled with the path from lead
 * to won: lead conversion, win rate (with n) and median sales cycle. A bar links to the
 * won deals of its source created in the same period.
 */
export function sourceChart(rows: SourceChartRow[], options: ChartOptions): SVGSVGElement | HTMLElement {
  const { currency, locale = DEFAULT_LOCALE, document, filters = {} } = options;
  const doc = document ?? globalThis.document;
  const list = [...rows].sort((a, b) => b.won_amount - a.won_amount || a.lead_source.localeCompare(b.lead_source));
  const sources = list.map((r) => r.lead_source);
  const marginLeft = Math.min(200, 16 + Math.max(0, ...sources.map((s) => s.length)) * 7);
  const marginRight = 320;
  const width = chartWidth(options, marginLeft + marginRight + 160);
  const max = Math.max(1, ...list.map((r) => r.won_amount));
  const label = (r: SourceChartRow) =>
    `${formatAmount(r.won_amount, currency, locale).text} · leads ${formatPercent(r.lead_conversion, locale)} → win ${formatPercent(r.win_rate_count, locale)} (n=${formatNumber(r.won + r.lost, locale)}) · ${r.median_sales_cycle_days === null ? '–' : formatNumber(r.median_sales_cycle_days, locale)} d`;
  return Plot.plot({
    document,
    width,
    height: Math.max(120, 54 + list.length * 30),
    marginLeft,
    marginRight,
    marginBottom: 40,
    className: 'plot',
    title: SOURCE_TITLE,
    subtitle: paragraph(doc, sourceTakeaway(list, currency, locale)),
    ariaLabel: SOURCE_TITLE,
    ariaDescription: `Horizontal bars of the won amount per lead source, largest first, each labelled with won amount, lead conversion, win rate with its sample and median sales cycle in days. ${list.map((r) => `${r.lead_source}: ${label(r)}`).join('; ')}.`,
    style: CHART_STYLE,
    x: {
      label: currency ? `Won amount (${currency}) →` : 'Won amount →',
      domain: [0, max],
      nice: true,
      grid: true,
      tickFormat: (v: number) => formatCompact(v, locale),
      ticks: Math.max(2, Math.floor(width / 160))
    },
    y: { label: null, domain: sources, tickSize: 0 },
    marks: [
      Plot.barX(list, {
        x: 'won_amount',
        y: 'lead_source',
        fill: BAR_COLOR,
        insetTop: 3,
        insetBottom: 3,
        href: (r: SourceChartRow) => dealsHref(filters, { lead_source: r.lead_source, status: 'won', date_field: 'created' }),
        ariaLabel: (r: SourceChartRow) => `${r.lead_source}: ${label(r)}`,
        title: (r: SourceChartRow) => `${r.lead_source}: ${label(r)}\nClick for the won deals`
      }),
      Plot.text(list, { frameAnchor: 'right', y: 'lead_source', text: label, textAnchor: 'start', dx: 12, fill: 'currentColor' }),
      Plot.ruleX([0])
    ]
  });
}
